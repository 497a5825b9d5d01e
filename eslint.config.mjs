// n8n's own lint rules for community nodes, in the variant for packages that are not verified for
// n8n Cloud (this package targets self-hosted n8n).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';

const n8n = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

export default [
	{ ignores: ['dist/**', 'node_modules/**'] },
	{
		files: ['core/**/*.ts', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		...n8n,
	},
	{
		// The package.json rules read it as a JSON expression (as n8n's node-cli does).
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		...n8n,
		rules: {
			...n8n.rules,
			// The rate limiter is Bottleneck, a runtime dependency chosen deliberately: one limiter per Pumble
			// user shared across executions. n8n Cloud forbids runtime dependencies; self-hosted n8n installs
			// them with the package, which is the only target of this package.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];

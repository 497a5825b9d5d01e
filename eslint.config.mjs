// n8n's lint for community nodes: the same configuration as `configWithoutCloudSupport` of
// `@n8n/node-cli/eslint` (n8n-nodes-starter's lint; @n8n/node-cli 0.48.3, dist/configs/eslint.js), built from
// its parts because @n8n/node-cli itself installs n8n's AI SDK and a native build (isolated-vm). "Without
// cloud support": this package targets self-hosted n8n.
// Every folder is linted: the n8n rules cover what n8n loads (nodes, credentials, core, package.json); the
// tests, scripts, benchmarks and the sandbox get the same TypeScript rules without n8n's node rules.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const community = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
const shipped = ['core/**/*.ts', 'nodes/**/*.ts', 'credentials/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, importX.flatConfigs.recommended],
		rules: {
			'prefer-spread': 'off',
			// One addition: a leading underscore marks a parameter or a left-out property as unused on purpose.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
	{
		files: shipped,
		extends: [community],
		rules: { 'no-console': 'error' },
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
	},
	{
		files: ['package.json'],
		extends: [community],
		rules: {
			...n8nNodesBase.configs.community.rules,
			// The one documented exception: Bottleneck (one limiter per Pumble user, shared across executions),
			// axios, ioredis and re2js are runtime dependencies. n8n Cloud forbids them; self-hosted n8n
			// installs them with the package, and self-hosted n8n is this package's only target.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);

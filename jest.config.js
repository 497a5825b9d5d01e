/** Test projects: `npm test` runs unit + integration + contract; `npm run test:e2e` runs e2e (a real n8n). */
const tsJest = ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});
module.exports = {
	projects: [
		project('unit'),
		project('integration'),
		project('contract'),
		project('e2e'),
		project('e2e-node-red'),
	],
	testTimeout: 60000,
};

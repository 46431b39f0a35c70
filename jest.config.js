/** Three layers: pure logic (unit), whole workflows through n8n-core's WorkflowExecute against
 * the sandbox (workflow), and a real n8n process (e2e), plus that n8n's editor in a headless
 * browser (editor). `npm test` runs them all. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
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
		project('workflow', { setupFilesAfterEnv: ['<rootDir>/test/workflow/support/setup.ts'] }),
		project('e2e', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.ts'] }),
		project('editor', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.ts'] }),
	],
};

/** Three layers: pure logic (unit), whole workflows through n8n-core's WorkflowExecute against
 * the sandbox (workflow), a real n8n process (e2e), the security suite on the e2e harness
 * (security), n8n in queue mode (queue) and n8n's editor in a headless browser (editor).
 * `npm test` runs them all. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	// Every n8n user folder the tests create holds a nodes/package.json of the same name.
	modulePathIgnorePatterns: ['<rootDir>/.n8n-e2e/'],
	...extra,
});

module.exports = {
	projects: [
		project('unit'),
		project('workflow', { setupFilesAfterEnv: ['<rootDir>/test/workflow/support/setup.ts'] }),
		project('e2e', {
			setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.ts'],
			// One n8n shared by the e2e suites (test/e2e/support/n8n.ts says how they stay apart).
			globalSetup: '<rootDir>/test/e2e/support/globalSetup.ts',
			globalTeardown: '<rootDir>/test/e2e/support/globalTeardown.ts',
		}),
		// Attacks on the templates in a real n8n (docs/security.md), with the e2e harness.
		project('security', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.ts'] }),
		// n8n in queue mode (Redis, PostgreSQL, main, two workers, webhook process); its own step.
		project('queue', { setupFilesAfterEnv: ['<rootDir>/test/queue/support/setup.ts'] }),
		project('editor', { setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.ts'] }),
	],
};

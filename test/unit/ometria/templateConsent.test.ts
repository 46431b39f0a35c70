import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { description } from '../../../nodes/Ometria/actions/contact/upsert.operation';

/** Consent is the member's: nothing shipped may force it or write it without a source value. */
describe('Ometria consent is never forced', () => {
	const templates = join(__dirname, '../../../workflows-templates');

	it('no template sets @force_optin or a fixed consent value', () => {
		for (const file of readdirSync(templates)) {
			const text = readFileSync(join(templates, file), 'utf8');
			expect(text).not.toMatch(/force_?optin/i);
			const workflow = JSON.parse(text) as {
				nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
			};
			for (const node of workflow.nodes.filter((entry) => entry.type.endsWith('.ometria'))) {
				const consent = (node.parameters.consent ?? {}) as Record<string, unknown>;
				for (const value of Object.values(consent)) expect(String(value)).toMatch(/^=/);
			}
		}
	});

	it('no default of the contact operation forces or sets consent', () => {
		const consent = description.find((property) => property.name === 'consent');
		const options = (consent?.options ?? []) as Array<{ name: string; default: unknown }>;
		expect(options.find((option) => option.name === 'forceOptin')?.default).toBe(false);
		expect(options.find((option) => option.name === 'emailMarketing')?.default).toBe('');
		expect(options.find((option) => option.name === 'smsMarketing')?.default).toBe('');
	});
});

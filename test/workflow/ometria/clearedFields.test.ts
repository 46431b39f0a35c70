import { startSandbox, type Sandbox } from '../../../sandbox';
import { quickOptions, runOmetria } from './support';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const upsert = (presetOptions: Record<string, unknown> = {}) => ({
	resource: 'contact',
	operation: 'upsert',
	presetOptions,
	options: quickOptions,
});

const member = (extra: Record<string, unknown> = {}) => ({
	loyaltyId: 'm000042',
	email: 'member42@example.com',
	firstName: 'Ada',
	lastName: 'Lovelace',
	phone: '+447700900123',
	currentTier: 'Gold',
	nextTier: 'Platinum',
	availablePoints: 1200,
	...extra,
});

const stored = () => sandbox.state.ometria.contact('m000042', 'loyalty')!.record;

describe('Ometria › Contact › Upsert: fields cleared at the source (workflow)', () => {
	it('clears in Ometria only the fields the item lists as cleared; other empty values never overwrite', async () => {
		expect((await runOmetria(sandbox, upsert(), [member()])).error).toBeUndefined();
		expect(stored()).toMatchObject({
			phone_number: '+447700900123',
			properties: { annex_next_tier: 'Platinum' },
		});

		// Empty, but not reported as cleared (a partial source): the stored values stay.
		await runOmetria(sandbox, upsert(), [member({ phone: '', nextTier: null })]);
		expect(stored()).toMatchObject({
			phone_number: '+447700900123',
			properties: { annex_next_tier: 'Platinum' },
		});

		// Cleared in Annex Cloud, but the user keeps Ometria's values.
		await runOmetria(sandbox, upsert({ clearedFields: 'keep' }), [
			member({ phone: null, nextTier: null, clearedFields: ['phone', 'nextTier'] }),
		]);
		expect(stored().phone_number).toBe('+447700900123');

		// Cleared in Annex Cloud, the default: the fields are gone in Ometria, the rest is kept.
		const run = await runOmetria(sandbox, upsert(), [
			member({ phone: null, nextTier: null, clearedFields: ['phone', 'nextTier'] }),
		]);
		expect(run.error).toBeUndefined();
		expect(run.output('Ometria', 0)[0]).toMatchObject({ status: 'verified' });
		const record = stored();
		expect(record).not.toHaveProperty('phone_number');
		expect(record.properties).not.toHaveProperty('annex_next_tier');
		expect(record).toMatchObject({
			email: 'member42@example.com',
			lastname: 'Lovelace',
			properties: { annex_current_tier: 'Gold', annex_available_points: '1200' },
		});
	});
});

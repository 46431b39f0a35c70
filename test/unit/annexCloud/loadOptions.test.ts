import type { IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { getRewards, getTiers } from '../../../nodes/AnnexCloud/methods/loadOptions';

/** A load-options context whose HTTP helper answers from a table of paths. */
function context(
	answers: Record<string, { statusCode?: number; body: unknown }>,
	memberId = 'zhang-min',
) {
	const calls: IHttpRequestOptions[] = [];
	const fake = {
		getCredentials: async () => ({ baseUrl: 'https://annex.test/api/3.0/' }),
		getCurrentNodeParameter: () => memberId,
		getNode: () => ({ name: 'Annex Cloud' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				calls.push(options);
				const path = options.url.replace('https://annex.test/api/3.0', '');
				const answer =
					answers[
						`${path}?${new URLSearchParams(options.qs as Record<string, string>).toString()}`
					] ?? answers[path];
				return {
					statusCode: answer ? (answer.statusCode ?? 200) : 404,
					headers: {},
					body: answer?.body ?? { errorCode: 'NOT_FOUND' },
				};
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { fake, calls };
}

describe('editor dropdowns', () => {
	it('lists tiers from every page of /tierlist/all, in tier order, either shape', async () => {
		const { fake, calls } = context({
			'/tierlist/all?page=1': {
				body: {
					Data: {
						tierDetail: [{ tierName: 'Gold', tierLevel: 3, pointsRequired: 5000 }],
						pages: 2,
						currentPage: 1,
					},
				},
			},
			'/tierlist/all?page=2': {
				body: {
					tierDetail: [{ tierName: 'Bronze', tierLevel: 1, pointsRequired: 0 }],
					pages: 2,
					currentPage: 2,
				},
			},
		});
		expect(await getTiers.call(fake)).toEqual([
			{ name: 'Bronze', value: 'Bronze', description: 'From 0 points' },
			{ name: 'Gold', value: 'Gold', description: 'From 5000 points' },
		]);
		expect(calls.map((call) => call.url)).toEqual([
			'https://annex.test/api/3.0/tierlist/all',
			'https://annex.test/api/3.0/tierlist/all',
		]);
	});

	it("lists the member's rewards cheapest first", async () => {
		const { fake } = context({
			'/users/zhang-min/reward': {
				body: {
					rewardDetail: [
						{ rewardId: 1002, displayText: '$10 Reward', creditRequired: 1000, eligible: false },
						{ rewardId: 1001, displayText: '$5 Reward', creditRequired: 500, eligible: true },
					],
				},
			},
		});
		expect(await getRewards.call(fake)).toEqual([
			{ name: '$5 Reward', value: '1001', description: '500 points' },
			{ name: '$10 Reward', value: '1002', description: '1000 points (not eligible now)' },
		]);
	});

	it('surfaces API errors instead of an empty list', async () => {
		const { fake } = context({
			'/users/zhang-min/reward': { statusCode: 401, body: { errorCode: 'UNAUTHORIZED' } },
		});
		await expect(getRewards.call(fake)).rejects.toThrow(
			/401 on GET \/users\/zhang-min\/reward: UNAUTHORIZED/,
		);
	});

	it('asks for a fixed member id first', async () => {
		const { fake } = context({}, '={{ $json.id }}');
		await expect(getRewards.call(fake)).rejects.toThrow(/fixed Member ID/);
		const blank = context({}, '').fake as IDataObject & ILoadOptionsFunctions;
		await expect(getRewards.call(blank)).rejects.toThrow(/fixed Member ID/);
	});
});

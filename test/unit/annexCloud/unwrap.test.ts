import {
	embeddedError,
	listIn,
	pageInfo,
	parseBody,
	toNumber,
	unwrapAnnex,
} from '../../../nodes/AnnexCloud/logic/unwrap';

describe('unwrapAnnex reads both response shapes', () => {
	const flat = { siteId: 's', id: 'm-1', email: 'm@example.com' };

	it('returns a flat answer as it is', () => {
		expect(unwrapAnnex(flat)).toEqual(flat);
	});

	it('merges a Data object onto its envelope, inner fields winning', () => {
		expect(unwrapAnnex({ Data: flat, pages: 3, id: 'outer' })).toEqual({ ...flat, pages: 3 });
		expect(unwrapAnnex({ data: flat })).toEqual(flat);
		expect(unwrapAnnex({ Data: { Data: flat } })).toEqual(flat);
	});

	it('parses text bodies and keeps non-JSON text visible', () => {
		expect(unwrapAnnex(JSON.stringify({ Data: flat }))).toEqual(flat);
		expect(unwrapAnnex('')).toEqual({});
		expect(parseBody('<html>')).toEqual({ body: '<html>' });
	});

	it('keeps a Data array for listIn', () => {
		const body = unwrapAnnex([{ id: 1 }, { id: 2 }]);
		expect(listIn(body, ['userDetail'])).toEqual([{ id: 1 }, { id: 2 }]);
	});

	it('finds lists under their keys, numbered maps and single objects', () => {
		expect(listIn({ activityDetail: [{ a: 1 }, 'x'] }, ['activityDetail'])).toEqual([{ a: 1 }]);
		expect(listIn({ rewardDetail: { 1: { r: 1 }, 2: { r: 2 } } }, ['rewardDetail'])).toEqual([
			{ r: 1 },
			{ r: 2 },
		]);
		expect(listIn({ tierDetail: { tierId: 1 } }, ['tierDetail'])).toEqual([{ tierId: 1 }]);
		expect(listIn({ other: [] }, ['tierDetail'])).toEqual([]);
	});
});

describe('embeddedError', () => {
	it.each([
		[{ errorCode: 0 }, undefined],
		[{ errorCode: '0', errorMessage: 'ok' }, undefined],
		[{ error_code: 'SUCCESS' }, undefined],
		[{}, undefined],
		[
			{ errorCode: 'USER_NOT_FOUND', errorMessage: 'User x does not exist' },
			'Annex Cloud error USER_NOT_FOUND: User x does not exist',
		],
		[{ error_code: '12' }, 'Annex Cloud error 12: no message'],
	])('%j → %s', (body, expected) => {
		expect(embeddedError(body)).toBe(expected);
	});
});

describe('pageInfo and toNumber', () => {
	it('reads both paging spellings', () => {
		expect(pageInfo({ currentPage: 2, pages: 5 }, 1)).toEqual({ currentPage: 2, pages: 5 });
		expect(pageInfo({ current_page: '3', pages: '4' }, 1)).toEqual({ currentPage: 3, pages: 4 });
		expect(pageInfo({}, 1)).toEqual({ currentPage: 1, pages: 1 });
	});

	it('reads numbers from strings', () => {
		expect(toNumber('1,250')).toBe(1250);
		expect(toNumber('')).toBeUndefined();
		expect(toNumber('abc')).toBeUndefined();
		expect(toNumber(Number.NaN)).toBeUndefined();
		expect(toNumber(7)).toBe(7);
	});
});

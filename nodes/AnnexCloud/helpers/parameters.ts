import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_PURCHASE_ACTION_IDS, type ActivityClassification } from '../logic/activity';
import { formatAnnexDate, parseAnnexDate } from '../logic/dates';
import { isPlainObject } from '../../shared/memberValues';
import { safeEntries } from '../../shared/safeKeys';

export function memberIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const value = String(context.getNodeParameter('memberId', itemIndex, '') ?? '').trim();
	if (value === '') {
		throw new NodeOperationError(context.getNode(), 'Member ID is empty', {
			itemIndex,
			description: 'Set "Member ID" to the member\'s unique ID in Annex Cloud (often the email)',
		});
	}
	return value;
}

export function limitOf(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return Number(context.getNodeParameter('limit', itemIndex, 50));
}

/** `109, 110` → `[109, 110]`. */
export function actionIdList(value: unknown, fallback: number[]): number[] {
	if (Array.isArray(value)) return value.map(Number).filter(Number.isFinite);
	const ids = String(value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '')
		.map(Number)
		.filter(Number.isFinite);
	return ids.length ? ids : fallback;
}

/** The "As Of", "Include Current Week" and "Purchase Action IDs" options of a weekly summary. */
export function readActivitySummaryOptions(
	context: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): Pick<ActivityClassification, 'purchaseActionIds'> & {
	asOf: number;
	includeCurrentWeek: boolean;
} {
	return {
		asOf: dateParameter(options.asOf, context, itemIndex, 'As Of') ?? Date.now(),
		includeCurrentWeek: options.includeCurrentWeek === true,
		purchaseActionIds: actionIdList(options.purchaseActionIds, DEFAULT_PURCHASE_ACTION_IDS),
	};
}

/** A date parameter as epoch ms, or undefined when empty. */
export function dateParameter(
	value: unknown,
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
) {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = parseAnnexDate(value);
	if (ms === undefined) {
		throw new NodeOperationError(context.getNode(), `${name} is not a date: ${String(value)}`, {
			itemIndex,
		});
	}
	return ms;
}

/**
 * The member fields of Create and Update as the API takes them: empty values left out, dates in
 * Annex Cloud's `yyyy-MM-dd'T'HH:mm:ssZ`, extended attributes parsed from JSON.
 */
export function memberBody(
	context: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of safeEntries(fields)) {
		if (value === undefined || value === null || value === '') continue;
		if (key === 'extendedAttribute') {
			const parsed = typeof value === 'string' ? parseJson(context, itemIndex, value) : value;
			// Own `__proto__` keys from the JSON text are dropped, not sent on.
			const attributes = isPlainObject(parsed) ? Object.fromEntries(safeEntries(parsed)) : {};
			if (Object.keys(attributes).length) body.extendedAttribute = attributes as IDataObject;
			continue;
		}
		if (key === 'optInDate') {
			const ms = dateParameter(value, context, itemIndex, 'Opt-In Date');
			if (ms !== undefined) body.optInDate = formatAnnexDate(ms);
			continue;
		}
		body[key] = value;
	}
	return body;
}

function parseJson(context: IExecuteFunctions, itemIndex: number, text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new NodeOperationError(context.getNode(), 'Extended Attributes is not valid JSON', {
			itemIndex,
		});
	}
}

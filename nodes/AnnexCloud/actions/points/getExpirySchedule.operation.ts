import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { dateParameter, memberIdOf } from '../../helpers/parameters';
import { formatAnnexDate, toIso } from '../../logic/dates';
import { listIn, toNumber } from '../../logic/unwrap';
import { annexRequestAllPages, memberPath } from '../../transport';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['points'], operation: ['getExpirySchedule'] } },
	[
		memberIdProperty,
		optionsCollection([
			{
				displayName: 'Group By',
				name: 'aggregateBy',
				type: 'options',
				default: 'month',
				options: [
					{ name: 'Week', value: 'week' },
					{ name: 'Month', value: 'month' },
					{ name: 'Quarter', value: 'quarter' },
					{ name: 'Year', value: 'year' },
				],
			},
			{
				displayName: 'From',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only expiries on or after this date',
			},
			{
				displayName: 'To',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only expiries on or before this date',
			},
		]),
	],
);

/** One item per period: the period's date, the points expiring in it and the batches behind them. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const start = dateParameter(options.startDate, this, itemIndex, 'From');
	const end = dateParameter(options.endDate, this, itemIndex, 'To');
	if (start !== undefined) qs.start_date = formatAnnexDate(start);
	if (end !== undefined) qs.end_date = formatAnnexDate(end);
	if (options.aggregateBy) qs.aggregate_by = options.aggregateBy;
	const { lines } = await annexRequestAllPages.call(
		this,
		memberPath('/pointsexpiry/{id}', memberId),
		['expiryDetail', 'pointsExpiry'],
		{ itemIndex, qs },
	);
	return lines.map((line) => {
		const batches = listIn(line, ['pointsActivity']);
		const points = batches.length
			? batches.reduce((sum, batch) => sum + (toNumber(batch.points) ?? 0), 0)
			: (toNumber(line.points) ?? 0);
		return {
			memberId,
			date: String(line.date ?? line.expiryDate ?? ''),
			points,
			firstExpiryDate: toIso(batches[0]?.expiryDate ?? line.expiryDate ?? line.date),
			pointsActivity: batches,
		} as IDataObject;
	});
}

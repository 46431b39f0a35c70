import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_ALERT_SETTINGS, evaluateAlerts, type AlertCheck } from '../logic/syncAlerts';

/**
 * Sync Alerts: every input item goes into one check (the watchdog needs all rows at once); each
 * alert becomes an item paired with the items it comes from.
 */
export function alertItems(this: IExecuteFunctions): INodeExecutionData[] {
	const parameter = <T>(name: string, fallback: T) => this.getNodeParameter(name, 0, fallback) as T;
	const alerts = evaluateAlerts(
		this.getInputData().map((item) => item.json),
		{
			checks: parameter<AlertCheck[]>('alertChecks', []),
			maxRejectedShare:
				parameter('maxRejectedPercent', DEFAULT_ALERT_SETTINGS.maxRejectedShare * 100) / 100,
			maxFeedAgeHours: parameter('maxFeedAgeHours', DEFAULT_ALERT_SETTINGS.maxFeedAgeHours),
			maxHoursWithoutSuccess: parameter(
				'maxHoursWithoutSuccess',
				DEFAULT_ALERT_SETTINGS.maxHoursWithoutSuccess,
			),
			now: new Date(),
		},
	);
	return alerts.map(({ parts, ...alert }) => ({
		json: { ...alert } as IDataObject,
		pairedItem: parts.map((item) => ({ item })),
	}));
}

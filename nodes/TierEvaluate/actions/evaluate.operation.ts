import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, setSafeObjectProperty } from 'n8n-workflow';

import { toAsOfInput } from '../../shared/dates';
import type { RuleFailure } from '../../shared/memberValues';
import { isRuleFailure } from '../../shared/memberValues';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { errorItem } from '../../shared/errorItem';
import { tierEvaluateProperties } from '../descriptions/properties';
import type { QualifyingBasis, TierConfig, TierEvaluator } from '../logic/tierEvaluation';
import { compileTierEvaluator } from '../logic/tierEvaluation';

export const description = updateDisplayOptions(
	{ show: { operation: ['evaluate'] } },
	tierEvaluateProperties,
);

interface TierRow {
	name?: string;
	threshold?: number;
}

interface EntitlementRow {
	tier?: string;
	benefitId?: string;
	benefitName?: string;
	quantity?: number;
	validityDays?: number;
}

/** Reads the node parameters (once, from the first item) into the rule module's configuration. */
function readTierConfig(context: IExecuteFunctions): TierConfig {
	const parameter = <T>(name: string, fallback: T): T =>
		context.getNodeParameter(name, 0, fallback) as T;
	const options = parameter<IDataObject>('options', {});
	const tiers = parameter<{ tier?: TierRow[] }>('tiers', {}).tier ?? [];
	const entitlements =
		parameter<{ entitlement?: EntitlementRow[] }>('entitlements', {}).entitlement ?? [];
	const protection = parameter<string>('downgradeProtection', 'none');
	return {
		tiers: tiers.map((tier) => ({ name: tier.name ?? '', threshold: tier.threshold ?? NaN })),
		fields: {
			memberId: parameter('memberIdField', 'id'),
			qualifyingValue: parameter('qualifyingValueField', ''),
			currentTier: parameter('currentTierField', ''),
			tierAchievedDate: parameter('tierAchievedDateField', ''),
			enrollmentDate: parameter('enrollmentDateField', ''),
			timeZone: (options.timeZoneField as string | undefined) ?? '',
		},
		qualifyingBasis: parameter<QualifyingBasis>('qualifyingBasis', 'lifetimePoints'),
		rollingWindow: {
			days: (options.rollingWindowDays as number | undefined) ?? 365,
			dateField: (options.orderDateField as string | undefined) ?? 'date',
			amountField: (options.orderAmountField as string | undefined) ?? 'amount',
		},
		closeToUpgrade: {
			unit: parameter<'points' | 'percent'>('closeMarginType', 'percent'),
			margin: parameter('closeMargin', 0),
		},
		downgradeProtection: {
			kind: protection as 'none' | 'gracePeriod' | 'minimumTimeInTier',
			days: protection === 'none' ? 0 : parameter('protectionDays', 0),
		},
		entitlements: entitlements.map((row) => ({
			tier: row.tier ?? '',
			benefitId: row.benefitId ?? '',
			name: row.benefitName ?? '',
			quantity: row.quantity ?? 1,
			validityDays: row.validityDays ?? 0,
		})),
		cumulativeEntitlements: options.cumulativeEntitlements === true,
		asOf: toAsOfInput(options.asOf),
		timeZone: (options.timeZone as string | undefined) || 'UTC',
		feb29: options.feb29Rule === 'mar1' ? 'mar1' : 'feb28',
	};
}

/** Each member item keeps its fields and gains the evaluation under the output field. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	const outputField =
		(this.getNodeParameter('options.outputField', 0, 'tierEvaluation') as string) ||
		'tierEvaluation';
	const compiled: TierEvaluator | RuleFailure = compileTierEvaluator(readTierConfig(this));

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = isRuleFailure(compiled) ? compiled : compiled(items[itemIndex].json);
		if (isRuleFailure(result)) {
			const error = new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}, field "${result.field}": ${result.message}`,
				{ itemIndex },
			);
			if (!this.continueOnFail()) throw error;
			returnData.push(errorItem(error, { item: itemIndex }, { field: result.field }));
			continue;
		}
		const { ok: _valid, ...evaluated } = result;
		const evaluation: IDataObject = {
			...evaluated,
			events: [...result.events],
			entitlements: {
				grant: result.entitlements.grant.map((entitlement) => ({ ...entitlement })),
				revoke: result.entitlements.revoke.map((entitlement) => ({ ...entitlement })),
				unchanged: result.entitlements.unchanged.map((entitlement) => ({ ...entitlement })),
			},
		};
		const json: IDataObject = { ...items[itemIndex].json };
		setSafeObjectProperty(json, outputField, evaluation);
		returnData.push({ json, pairedItem: { item: itemIndex } });
	}
	return returnData;
}

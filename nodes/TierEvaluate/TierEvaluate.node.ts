import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as entitlementLifecycle from './actions/entitlementLifecycle.operation';
import * as evaluate from './actions/evaluate.operation';
import { router } from './actions/router';

export class TierEvaluate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tier Evaluate',
		name: 'tierEvaluate',
		icon: { light: 'file:tierEvaluate.svg', dark: 'file:tierEvaluate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "entitlementLifecycle" ? "Entitlement Lifecycle" : $parameter["qualifyingBasis"]}}',
		description:
			'Works out each loyalty member’s tier, progress, tier events and entitlement changes, and the daily expiry, reminders and unused-benefit notices of their entitlements',
		defaults: { name: 'Tier Evaluate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Evaluate Tiers',
						value: 'evaluate',
						action: 'Evaluate tiers',
						description:
							'Each member’s tier, progress to the next, tier events and entitlements to grant or revoke',
					},
					{
						name: 'Plan Entitlement Lifecycle',
						value: 'entitlementLifecycle',
						action: 'Plan entitlement lifecycle',
						description:
							'From entitlement rows, loyalty profiles and reward history: which entitlements were used or expire today, and which reminders and notices go out, once per member and step',
					},
				],
				default: 'evaluate',
			},
			...evaluate.description,
			...entitlementLifecycle.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, setSafeObjectProperty } from 'n8n-workflow';

import { isRuleFailure } from '../shared/memberValues';
import { errorItem } from '../shared/errorItem';
import { guardrails } from './descriptions/guardrails';
import { identityFields } from './descriptions/identity';
import { keyDateSteps } from './descriptions/keyDateSteps';
import { memberFields } from './descriptions/memberFields';
import { offerCatalog } from './descriptions/offerCatalog';
import { options } from './descriptions/options';
import { outreachChannels } from './descriptions/outreachChannels';
import { groupCombinator, ruleGroups } from './descriptions/ruleGroups';
import { readSegmentSettings } from './helpers/parameters';
import { buildSegment } from './logic/segmentBuild';

/** Items of an optional input: none when it is not connected or did not run. */
function optionalInput(context: IExecuteFunctions, inputIndex: number): INodeExecutionData[] {
	try {
		return context.getInputData(inputIndex) ?? [];
	} catch {
		return [];
	}
}

export class SegmentBuild implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Segment Build',
		name: 'segmentBuild',
		icon: { light: 'file:segmentBuild.svg', dark: 'file:segmentBuild.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["combinator"] === "or" ? "any group" : "all groups"}}',
		description:
			'Builds a campaign audience from loyalty members: rules, key-date cadence, outreach plan, offers and guardrails',
		defaults: { name: 'Segment Build' },
		usableAsTool: true,
		inputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Members' },
			{ type: NodeConnectionTypes.Main, displayName: 'Blocklist', required: false },
		],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Audience' },
			{ type: NodeConnectionTypes.Main, displayName: 'Excluded' },
		],
		properties: [
			...identityFields,
			groupCombinator,
			ruleGroups,
			keyDateSteps,
			outreachChannels,
			offerCatalog,
			memberFields,
			guardrails,
			options,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData(0);
		const blocklistItems = optionalInput(this, 1);
		const settings = readSegmentSettings(this);
		// Previous membership and past touches arrive in member fields (the templates read them from
		// Data Tables): nothing is kept in workflow static data, which concurrent runs would overwrite.
		const run = buildSegment(
			items.map((item) => item.json),
			settings.config,
			{ blocklist: blocklistItems.map((item) => item.json) },
		);

		const audience: INodeExecutionData[] = [];
		const excluded: INodeExecutionData[] = [];
		if (isRuleFailure(run)) {
			// A configuration error concerns every item; it is reported against the first one.
			const error = new NodeOperationError(
				this.getNode(),
				`Item 0, parameter "${run.field}": ${run.message}`,
				{ itemIndex: 0 },
			);
			if (!this.continueOnFail()) throw error;
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				excluded.push(errorItem(error, { item: itemIndex }, { field: run.field }));
			}
			return [audience, excluded];
		}

		for (const failure of run.failures) {
			const error = new NodeOperationError(
				this.getNode(),
				`Item ${failure.index}, field "${failure.field}": ${failure.message}`,
				{ itemIndex: failure.index },
			);
			if (!this.continueOnFail()) throw error;
			excluded.push(errorItem(error, { item: failure.index }, { field: failure.field }));
		}
		for (const entry of run.audience) {
			const json: IDataObject = { ...items[entry.index].json };
			setSafeObjectProperty(json, 'outreach', entry.outreach);
			audience.push({ json, pairedItem: { item: entry.index } });
		}
		for (const entry of run.excluded) {
			const json: IDataObject = { ...items[entry.index].json };
			const exclusion: IDataObject = { reason: entry.reason, detail: entry.detail };
			if (entry.outreach !== undefined) exclusion.outreach = entry.outreach;
			setSafeObjectProperty(json, 'exclusion', exclusion);
			excluded.push({ json, pairedItem: { item: entry.index } });
		}
		if (settings.includeSummary) {
			const pairedItem: IPairedItemData[] = items.map((_item, itemIndex) => ({ item: itemIndex }));
			excluded.push({ json: { summary: run.summary as unknown as IDataObject }, pairedItem });
		}

		return [audience, excluded];
	}
}

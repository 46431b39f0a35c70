import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { MS_PER_DAY } from '../../../nodes/shared/dates';
import { buildFixtureMembers } from '../../../sandbox/fixtures';
import { generateMembers } from '../../../sandbox/generator';
import type { WorkflowJson } from '../support/runWorkflow';

/** The campaign and birthday care tests are dated around Zhang Min's birthday (warm-up May 25). */
export const AS_OF = '2026-05-25';
export const TIER_EVALUATE = 'Tier Evaluate';
export const SEGMENT_BUILD = 'Segment Build';
export const continueOnFail: Partial<INode> = { onError: 'continueRegularOutput' };

/**
 * The sandbox's 102 named members followed by `generated` generator members, as plain JSON (what
 * an Annex Cloud node or an HTTP Request would hand a workflow), dated relative to `asOf`.
 */
export function sandboxMembers(generated: number, asOf = AS_OF, seed = 11): IDataObject[] {
	const members = [...buildFixtureMembers(asOf), ...generateMembers(generated, { seed, asOf })];
	return JSON.parse(JSON.stringify(members)) as IDataObject[];
}

const trigger: INode = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A node of this package; its id follows its name. */
function packageNode(
	type: string,
	name: string,
	parameters: IDataObject,
	x: number,
	extra: Partial<INode>,
): INode {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: `n8n-nodes-loyalty-sync.${type}`,
		typeVersion: 1,
		position: [x, 0],
		parameters: parameters as INode['parameters'],
		...extra,
	};
}

export const tierEvaluateNode = (
	parameters: IDataObject,
	extra: Partial<INode> = {},
	name = TIER_EVALUATE,
): INode => packageNode('tierEvaluate', name, parameters, 240, extra);

export const segmentBuildNode = (
	parameters: IDataObject,
	extra: Partial<INode> = {},
	name = SEGMENT_BUILD,
): INode => packageNode('segmentBuild', name, parameters, 480, extra);

type Link = [from: string, to: string, fromOutput?: number, toInput?: number];

/** Manual Trigger plus `nodes`, wired by `links` (output 0 → input 0 unless given). */
export function workflow(nodes: INode[], links: Link[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	for (const [from, to, fromOutput = 0, toInput = 0] of links) {
		const outputs = (connections[from] ??= { main: [] }).main;
		while (outputs.length <= fromOutput) outputs.push([]);
		(outputs[fromOutput] ??= []).push({ node: to, type: 'main' as never, index: toInput });
	}
	return { name: 'tier-segment', nodes: [trigger, ...nodes], connections };
}

/** Every item of every output pairs with the input item whose member ID it carries. */
export function expectPairedToInput(items: INodeExecutionData[], input: IDataObject[]): void {
	for (const item of items) {
		expect(item.pairedItem).toEqual({ item: expect.any(Number) });
		const { item: index } = item.pairedItem as { item: number };
		if (item.json.id !== undefined) expect(input[index].id).toBe(item.json.id);
	}
}

/** Whole days from an ISO date to AS_OF-style ISO date `to`. */
export const daysBetween = (from: string, to: string): number =>
	Math.round((Date.parse(to) - Date.parse(from.slice(0, 10))) / MS_PER_DAY);

/** The lapsed Platinum campaign: Platinum members with no purchase in the last 30 days. */
export const PLATINUM_LAPSED_RULES = {
	group: [
		{
			combinator: 'and',
			conditions: {
				condition: [
					{ type: 'tier', tierOperator: 'isIn', tiers: 'Platinum' },
					{ type: 'daysSince', dateOf: 'lastPurchase', numberOperator: 'gt', value: '30' },
				],
			},
		},
	],
};

/** The outreach rhythm the campaign configures: email in the morning, SMS next day, push evening. */
export const CAMPAIGN_CHANNELS = {
	channel: [
		{ channel: 'email', time: '09:30', dayOffset: 0 },
		{ channel: 'sms', time: '12:00', dayOffset: 1 },
		{ channel: 'push', time: '18:00', dayOffset: 0 },
	],
};

export const isLapsedPlatinum = (member: IDataObject, asOf = AS_OF): boolean =>
	member.tier === 'Platinum' &&
	(member.lastPurchaseDate === null || daysBetween(member.lastPurchaseDate as string, asOf) > 30);

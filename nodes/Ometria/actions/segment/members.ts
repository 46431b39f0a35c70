import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { buildContactRecord } from '../../logic/contactMapping';
import { executeWrite } from '../../helpers/writeOperation';
import {
	collectionField,
	contactIdField,
	customerIdField,
	emailField,
	pushOptionsWith,
	segmentLocator,
} from '../../descriptions/parameters';

/**
 * Segment membership goes through the contact record (`@add_to_lists` / `@remove_from_lists`),
 * merged into the existing listing so no other field changes. Checking for rejections is off by
 * default here: a membership change has little to reject, and the check waits for Ometria.
 */

export const memberProperties: INodeProperties[] = [
	segmentLocator,
	{ ...contactIdField, required: true },
	{ ...collectionField },
	{
		...emailField,
		description:
			'Identifies the contact if the listing is new to Ometria; an email or a customer ID is needed',
	},
	{ ...customerIdField },
	pushOptionsWith(false),
];

export async function executeMembership(
	this: IExecuteFunctions,
	change: 'add' | 'remove',
): Promise<INodeExecutionData[][]> {
	return await executeWrite.call(this, {
		name: change === 'add' ? 'segment.addMembers' : 'segment.removeMembers',
		recordType: 'contact',
		verifyByDefault: false,
		buildRecord(itemIndex, read, context) {
			const segment = this.getNodeParameter('segment', itemIndex, '', {
				extractValue: true,
			}) as string;
			const parameter = (name: string) => read<string>(name, itemIndex, '');
			return buildContactRecord(
				{},
				{
					id: parameter('contactId'),
					collection: parameter('collection'),
					email: parameter('email'),
					customerId: parameter('customerId'),
					merge: true,
					timeZone: context.timeZone,
					// A removal changes a listing that exists already: its stored identity stays.
					requireIdentity: change === 'add',
					[change === 'add' ? 'addToSegments' : 'removeFromSegments']: [segment],
				},
			);
		},
		identify(itemIndex, read) {
			return { memberId: read('contactId', itemIndex, ''), email: read('email', itemIndex, '') };
		},
	});
}

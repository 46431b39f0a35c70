import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as contact from './actions/contact/Contact.resource';
import * as customEvent from './actions/customEvent/CustomEvent.resource';
import * as profile from './actions/profile/Profile.resource';
import * as pushError from './actions/pushError/PushError.resource';
import { router } from './actions/router';
import * as segment from './actions/segment/Segment.resource';
import * as unsubscribe from './actions/unsubscribe/Unsubscribe.resource';
import { listSearch, loadOptions } from './methods';

export class Ometria implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ometria',
		name: 'ometria',
		icon: { light: 'file:ometria.svg', dark: 'file:ometria.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Push loyalty contacts, events and segment changes to Ometria in rate-limited batches, and read profiles, segments, push errors and unsubscribes',
		defaults: { name: 'Ometria' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Rejected'],
		credentials: [{ name: 'ometriaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Custom Event', value: 'customEvent' },
					{ name: 'Profile', value: 'profile' },
					{ name: 'Push Error', value: 'pushError' },
					{ name: 'Segment', value: 'segment' },
					{ name: 'Unsubscribe', value: 'unsubscribe' },
				],
				default: 'contact',
			},
			...contact.description,
			...customEvent.description,
			...segment.description,
			...profile.description,
			...pushError.description,
			...unsubscribe.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

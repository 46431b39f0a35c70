import type { INodeProperties } from 'n8n-workflow';

export const offerCatalog: INodeProperties = {
	displayName: 'Offer Catalog',
	name: 'offers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Offer',
	description:
		'Gift packages or offers. Each member gets the best eligible one in stock: most interests matched, then highest expected value less cost.',
	default: {},
	options: [
		{
			displayName: 'Offer',
			name: 'offer',
			values: [
				{ displayName: 'Cost', name: 'cost', type: 'number', default: 0 },
				{
					displayName: 'Eligible Tiers',
					name: 'eligibleTiers',
					type: 'string',
					default: '',
					placeholder: 'e.g. Gold, Platinum',
					description: 'Comma-separated; empty means every tier',
				},
				{ displayName: 'Expected Value', name: 'expectedValue', type: 'number', default: 0 },
				{
					displayName: 'Interest Tags',
					name: 'interestTags',
					type: 'string',
					default: '',
					placeholder: 'e.g. travel, dining',
				},
				{
					displayName: 'Inventory',
					name: 'inventory',
					type: 'number',
					typeOptions: { minValue: -1 },
					default: -1,
					description: 'Units left; -1 means unlimited. Offers run out as members are given them.',
				},
				{ displayName: 'Offer ID', name: 'offerId', type: 'string', default: '' },
				{ displayName: 'Offer Name', name: 'offerName', type: 'string', default: '' },
				{
					displayName: 'Target Conversion (%)',
					name: 'targetConversion',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 100 },
					default: 0,
				},
			],
		},
	],
};

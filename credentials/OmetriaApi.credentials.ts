import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

export class OmetriaApi implements ICredentialType {
	name = 'ometriaApi';

	displayName = 'Ometria API';

	icon: Icon = { light: 'file:ometria.svg', dark: 'file:ometria.dark.svg' };

	documentationUrl = 'https://support.ometria.com/hc/en-gb/articles/360012199857-API-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.ometria.com/v2',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Ometria-Auth': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/lists',
			method: 'GET',
		},
	};
}

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { annexSignedPayload, signAnnexJwt } from '../nodes/shared/annexJwt';

export class AnnexCloudApi implements ICredentialType {
	name = 'annexCloudApi';

	displayName = 'Annex Cloud API';

	icon: Icon = { light: 'file:annexCloud.svg', dark: 'file:annexCloud.dark.svg' };

	documentationUrl = 'https://annexcloud.redocly.app/loyalty/loyalty/jwt-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://s15.socialannex.net/api/3.0',
			description: 'Loyalty V3 API root of your tenant',
		},
		{
			displayName: 'Site ID',
			name: 'siteId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Site Name',
			name: 'siteName',
			type: 'string',
			default: '',
			description: 'Sent as the JWT subject (sub claim)',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shared secret that signs every request (HS256 JWT with a body HMAC)',
		},
	];

	/** Every request is signed on its own: the JWT carries an HMAC of the exact body it travels with. */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const method = requestOptions.method ?? 'GET';
		const body =
			requestOptions.body === undefined || typeof requestOptions.body === 'string'
				? (requestOptions.body as string | undefined)
				: JSON.stringify(requestOptions.body);
		// n8n's own HTTP Request node hands credentials the legacy options, whose address is `uri`.
		const url = requestOptions.url ?? (requestOptions as { uri?: string }).uri ?? '';
		const siteId = String(credentials.siteId);
		const token = signAnnexJwt(
			{
				secretKey: String(credentials.secretKey),
				siteId,
				siteName: String(credentials.siteName ?? ''),
			},
			annexSignedPayload(method, url, body),
		);
		return {
			...requestOptions,
			...(body === undefined ? {} : { body }),
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${token}`,
				'X-AnnexCloud-Site': siteId,
				'Content-Type': 'application/json',
				Accept: 'application/json',
			},
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/tierlist/all',
			method: 'GET',
		},
	};
}

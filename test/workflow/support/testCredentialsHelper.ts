import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

import { loadCredentialTypes } from './testNodeTypes';

type HeaderMap = Record<string, string>;

/** Resolves the `={{$credentials.x}}` references our generic credentials use. */
function resolveCredentialExpression(
	value: string,
	credentials: ICredentialDataDecryptedObject,
): string {
	if (!value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_, key: string) =>
			String(credentials[key] ?? ''),
		);
}

/**
 * Hands our nodes the credentials a test configures, and applies each credential type's real
 * `authenticate` (the JWT function of Annex Cloud, the header of Ometria) so requests reach the
 * sandbox signed exactly as in n8n.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types = loadCredentialTypes();

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const type = this.credentialType(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (typeof type.authenticate === 'function')
			return await type.authenticate(credentials, options);
		if (type.authenticate?.type === 'generic') {
			const headers = (type.authenticate.properties.headers ?? {}) as HeaderMap;
			const resolved: HeaderMap = {};
			for (const [name, value] of Object.entries(headers)) {
				resolved[name] = resolveCredentialExpression(value, credentials);
			}
			return { ...options, headers: { ...options.headers, ...resolved } };
		}
		return options;
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`The test configured no credentials of type ${type}`);
		return { ...data };
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these nodes');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialType(type).properties;
	}

	private credentialType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}
}

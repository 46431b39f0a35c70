import type { INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';

/** Credential data for both vendors, pointing at a running sandbox. */
export function sandboxCredentials(sandbox: Sandbox) {
	const { siteId, siteName, secretKey } = sandbox.options.annex;
	return {
		annexCloudApi: { baseUrl: sandbox.annexBaseUrl, siteId, siteName, secretKey },
		ometriaApi: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
	};
}

/** n8n's "On Error: Continue" setting, which is what `continueOnFail()` reads. */
export const continueOnFail: Partial<INode> = { onError: 'continueRegularOutput' };

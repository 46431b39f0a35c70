// The lint is n8n's own verification config: @n8n/scan-community-package builds it (community-nodes
// `recommended` with cloud support, plus eslint-plugin-n8n-nodes-base's community, credentials and
// nodes rule sets) and we use that very object, so `npm run lint` and the scanner cannot drift apart.
import { buildScanConfig } from './node_modules/@n8n/scan-community-package/scanner/scanner.mjs';

export default [{ ignores: ['dist/**', 'node_modules/**'] }, ...(await buildScanConfig())];

/** One n8n for every e2e suite (see startSharedN8n). */
export { startSharedN8n as default } from './n8n';

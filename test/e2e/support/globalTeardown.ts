export { stopSharedN8n as default } from './n8n';

/**
 * The core with the axios transport, for hosts without an HTTP helper of their own (Node-RED, the sandbox,
 * the benchmark, scripts, tests): everything in ./index.ts plus `createAxiosTransport`. The n8n nodes import
 * ./index.ts, which does not load axios (they send through n8n's own helper).
 */
export * from './index';
export { createAxiosTransport } from './http/axiosTransport';

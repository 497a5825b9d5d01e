/**
 * The core for use outside n8n (the sandbox, the benchmark, scripts, tests): everything in ./index.ts plus
 * the axios transport. The n8n nodes import ./index.ts, which does not load axios.
 */
export * from './index';
export { createAxiosTransport } from './http/axiosTransport';

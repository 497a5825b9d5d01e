/**
 * Drive a real Node-RED headless with this package installed from its tarball (e2e tests and
 * `npm run demo:node-red`):
 *   install.ts  Node-RED once into the cache folder
 *   home.ts     a user directory with the package, settings, and a flow pointed at the sandbox
 *   runtime.ts  start it, click an inject node, stop it
 */
export * from './editor';
export * from './home';
export * from './install';
export * from './versions';
export * from './runtime';

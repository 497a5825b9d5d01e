/** The part of node-red-node-test-helper (no bundled types) the Node-RED tests use. */
declare module 'node-red-node-test-helper' {
	interface TestNode {
		id: string;
		on(event: string, listener: (arg: unknown) => void): void;
		receive(msg: Record<string, unknown>): void;
	}
	const helper: {
		init(nodeRedPath: string, userSettings?: Record<string, unknown>): void;
		load(nodes: unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
		unload(): Promise<void>;
		getNode(id: string): TestNode;
		startServer(done: () => void): void;
		stopServer(done: () => void): void;
		request(): unknown;
		settings(settings: Record<string, unknown>): void;
	};
	export default helper;
}

/**
 * The shared set-up of the Pumble Trigger's suites: a fresh sandbox for each test on a clock the test moves
 * (`tick`), the credential's form for it, triggers as an active workflow polls them (`runPoll.ts`), and the
 * requests Pumble was sent.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { PolledTrigger, type HostFeatures } from './runPoll';

export interface TriggerSuite {
	readonly sandbox: Sandbox;
	/** Moves the sandbox's clock (one second by default). */
	tick(ms?: number): number;
	credentials(): { apiKey: string; baseUrl: string };
	/** A New Message trigger on selected channels, with these parameters over it. */
	trigger(parameters: Record<string, unknown>, features?: HostFeatures): PolledTrigger;
	/** What Pumble was sent after the request numbered `since`. */
	requests(since?: number): Sandbox['log'];
	/** The number of the last request Pumble was sent. */
	lastSeq(): number;
}

/** Registers the hooks; read `sandbox` from the returned suite inside tests. */
export function triggerSuite(): TriggerSuite {
	let sandbox: Sandbox;
	let now = 0;

	beforeEach(async () => {
		now = Math.floor(Date.now() / 1000) * 1000;
		sandbox = await startSandbox({ clock: () => now });
	});

	afterEach(async () => {
		await sandbox.close();
	});

	const credentials = () => ({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	return {
		get sandbox() {
			return sandbox;
		},
		tick: (ms = 1000) => (now += ms),
		credentials,
		trigger: (parameters, features = {}) =>
			new PolledTrigger({ event: 'newMessage', watch: 'selected', ...parameters }, credentials(), undefined, features),
		requests: (since = 0) => sandbox.log.filter((e) => e.seq > since),
		lastSeq: () => sandbox.log[sandbox.log.length - 1]?.seq ?? 0,
	};
}

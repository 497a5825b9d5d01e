/**
 * The poller's unit tests' set-up: channels of an in-memory Pumble and a trigger polling them with its state.
 */
import { poll, type PollConfig, type PollResult, type TriggerState } from '../../core/poller';
import { BOB, FakePumble, ME } from './poller.fake';

export const GENERAL = 'dddddddddddddddddddd0001';
export const RANDOM = 'dddddddddddddddddddd0002';
export const DM = 'dddddddddddddddddddd0003';
export const SECRET = 'dddddddddddddddddddd0004';

export function setup(config: Partial<PollConfig> = {}) {
	const pumble = new FakePumble();
	pumble.addChannel(GENERAL, { name: 'general' });
	pumble.addChannel(RANDOM, { name: 'random' });
	pumble.addChannel(DM, { type: 'DIRECT', members: [ME, BOB] });
	pumble.addChannel(SECRET, { type: 'PRIVATE', name: 'secret', members: [ME, BOB] });
	const cfg: PollConfig = { event: 'newMessage', channels: [GENERAL, RANDOM], ...config };
	let state: TriggerState | undefined;
	const emitted: string[] = [];
	const run = async (override: Partial<PollConfig> = {}): Promise<PollResult> => {
		const result = await poll(pumble, { ...cfg, ...override }, state, { now: pumble.now });
		state = result.state;
		emitted.push(...result.messages.map((m) => m.text));
		return result;
	};
	return {
		pumble,
		run,
		emitted,
		get state() {
			return state;
		},
		set state(value: TriggerState | undefined) {
			state = value;
		},
		/** Emitted texts of one poll. */
		texts: (result: PollResult) => result.messages.map((m) => m.text),
	};
}

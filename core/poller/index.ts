/**
 * The Pumble Trigger's poll, host-agnostic (core/poller/):
 * - config.ts   events, configuration and the limits of one poll
 * - state.ts    the state kept between polls, and how it advances
 * - order.ts    message order (timestamp, then ID), whatever order pages come in
 * - source.ts   the narrow reader over PumbleApi the poller depends on
 * - channels.ts which channels are read: names through the cached list, members of "all"
 * - pages.ts    reading a channel's stream: forward (AFTER), backward, newest window
 * - threads.ts  the thread stream: changed threads and their new replies
 * - marks.ts    Reaction Added / Message Edited: reactions and edits seen on the re-read newest messages
 * - channel.ts  one channel's read in one poll
 * - filters.ts  which messages are emitted (own, bots, text — linear-time patterns —, mentions)
 * - failures.ts failing channels: their state, and when to report them
 * - budget.ts   the poll's deadline and cancellation
 * - memory.ts   what a trigger remembers in this process beside the host's static data
 * - exclusive.ts one poll per trigger at a time
 * - poll.ts     one poll; sample.ts a manual run's sample
 */
export * from './config';
export * from './state';
export { mergeInOrder } from './order';
export * from './source';
export * from './failures';
export { emojiMatcher, mentions, textMatcher } from './filters';
export { contentHash, reactionHash, type MarkChange } from './marks';
export { Budget, OutOfTime } from './budget';
export { triggerMemory } from './memory';
export { exclusive } from './exclusive';
export * from './poll';
export * from './sample';

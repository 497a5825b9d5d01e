/**
 * Which new messages the trigger emits: not deleted, not the key's own (unless asked), not from bots
 * (unless asked), matching the text filter, and — for "New Mention" — mentioning the key's user or one
 * of their groups. Filtered-out messages still count as handled. For Reaction Added and Message Edited
 * the same rules judge who acted (the reacting user; the editing author) and the message's text, and
 * Reaction Added may keep only some emoji.
 *
 * The text filter is a case-insensitive substring, or `/pattern/flags`. Patterns run on RE2 (re2js), a
 * linear-time matcher: the text of any channel member cannot make a pattern run for long (`/^(a+)+$/`
 * included). RE2 has no lookarounds or backreferences: such a pattern is refused with a clear error
 * before the poll reads anything. Flags i, m and s apply; g and y are ignored (a filter tests each message
 * on its own, never from where the previous one left off); u, v and d change nothing for a test.
 */
import { RE2JS } from 're2js';

import { PumbleInputError } from '../errors';
import { toEmojiCode } from '../input/emoji';
import type { Message } from '../types';
import type { PollConfig } from './config';
import type { MarkChange } from './marks';
import { mergeInOrder } from './order';
import type { PollSource } from './source';

const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/**
 * The text filter as a test, or undefined for none. Throws a PumbleInputError for a `/pattern/` that is a
 * valid JavaScript regular expression RE2 cannot run (naming the field as the host does: `field`); a pattern
 * JavaScript rejects too is taken as text.
 */
export function textMatcher(filter: string | undefined, field = 'textFilter'): ((text: string) => boolean) | undefined {
	const wanted = filter?.trim();
	if (!wanted) return undefined;
	const regex = /^\/(.+)\/([a-z]*)$/s.exec(wanted);
	if (regex && isRegExp(regex[1], regex[2])) {
		const [, source, flags] = regex;
		let pattern: RE2JS;
		try {
			const bits = [...flags].reduce((sum, flag) => sum | (FLAGS[flag] ?? 0), 0);
			pattern = RE2JS.compile(RE2JS.translateRegExp(source), bits);
		} catch (error) {
			// The core knows no n8n: the trigger node turns this into a NodeOperationError.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw new PumbleInputError(
				field,
				`The pattern ${wanted} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
				`"${field}" runs patterns in linear time (RE2), which has no lookarounds (?=…) (?!…) and no backreferences (\\1). Rewrite the pattern without them, or give plain text.`,
			);
		}
		return (text) => pattern.test(text);
	}
	const needle = wanted.toLowerCase();
	return (text) => text.toLowerCase().includes(needle);
}

function isRegExp(source: string, flags: string): boolean {
	try {
		new RegExp(source, flags);
		return true;
	} catch {
		return false; // not a valid regular expression: used as plain text
	}
}

/** Whether the message mentions the user (`<<@id>>`) or one of the groups (`<<&id>>`), in text or blocks. */
export function mentions(message: Message, userId: string, groupIds: string[]): boolean {
	const text = message.text ?? '';
	if (text.includes(`<<@${userId}>>`)) return true;
	if (groupIds.some((g) => text.includes(`<<&${g}>>`))) return true;
	const walk = (node: unknown): boolean => {
		if (Array.isArray(node)) return node.some(walk);
		if (!node || typeof node !== 'object') return false;
		const element = node as Record<string, unknown>;
		if (element.type === 'user' && element.user_id === userId) return true;
		if (element.type === 'usergroup' && groupIds.includes(String(element.usergroup_id))) return true;
		return Object.values(element).some((value) => typeof value === 'object' && walk(value));
	};
	return walk(message.blocks);
}

interface Judge {
	me?: string;
	bots: Set<string>;
	groups: string[];
}

/**
 * Reaction Added's emoji filter as a test, or undefined for every emoji. Throws a PumbleInputError naming
 * the entry that is not an emoji, before anything is read.
 */
export function emojiMatcher(reactions: string[] | undefined, field = 'reactions'): ((code: string) => boolean) | undefined {
	const wanted = (reactions ?? []).map((entry) => entry.trim()).filter(Boolean);
	if (wanted.length === 0) return undefined;
	const codes = new Set(wanted.map((entry) => toEmojiCode(entry, field).code.toLowerCase()));
	return (code) => codes.has(code.toLowerCase());
}

/** What judging needs: the key's user, the bots (users re-read once when someone is unknown), my groups. */
async function judgeFor(source: PollSource, config: PollConfig, people: string[]): Promise<Judge> {
	const needMe = !config.includeOwn || config.event === 'mention';
	const me = needMe ? (await source.myInfo()).id : undefined;
	let bots = new Set<string>();
	if (!config.includeBots) {
		let users = await source.listUsers({ fresh: false });
		const known = new Set(users.map((u) => u.id));
		if (people.some((id) => id && !known.has(id))) users = await source.listUsers({ fresh: true });
		bots = new Set(users.filter((u) => u.isAddonBot || u.isPumbleBot).map((u) => u.id));
	}
	let groups: string[] = [];
	if (config.event === 'mention' && me) {
		groups = (await source.listUserGroups()).filter((g) => !g.disabled && (g.workspaceUserIds ?? []).includes(me)).map((g) => g.id);
	}
	return { me, bots, groups };
}

function matcher(config: PollConfig, judge: Judge): (m: Message) => boolean {
	const text = textMatcher(config.textFilter, config.fields?.textFilter);
	return (m) => {
		if (m.deleted) return false;
		if (!config.includeOwn && judge.me && m.author === judge.me) return false;
		if (!config.includeBots && (judge.bots.has(m.author) || !!m.authorAppId)) return false;
		if (text && !text(m.text ?? '')) return false;
		if (config.event === 'mention' && !(judge.me && mentions(m, judge.me, judge.groups))) return false;
		return true;
	};
}

/** The messages to emit among `candidates` (any order), in order. */
export async function select(source: PollSource, config: PollConfig, perChannel: Message[][]): Promise<Message[]> {
	const candidates = mergeInOrder(perChannel);
	if (candidates.length === 0) return [];
	const keep = matcher(config, await judgeFor(source, config, candidates.map((m) => m.author)));
	return candidates.filter(keep);
}

/** The reactions and edits to emit among `changes` (in order): judged by who acted, the message's text, the emoji. */
export async function selectChanges(source: PollSource, config: PollConfig, changes: MarkChange[]): Promise<MarkChange[]> {
	if (changes.length === 0) return [];
	const actor = (change: MarkChange) => change.reaction?.user ?? change.message.author;
	const judge = await judgeFor(source, config, changes.map(actor));
	const text = textMatcher(config.textFilter, config.fields?.textFilter);
	const emoji = emojiMatcher(config.reactions, config.fields?.reactions);
	return changes.filter((change) => {
		const who = actor(change);
		if (change.message.deleted) return false;
		if (!config.includeOwn && judge.me && who === judge.me) return false;
		if (!config.includeBots && (judge.bots.has(who) || (!change.reaction && !!change.message.authorAppId))) return false;
		if (text && !text(change.message.text ?? '')) return false;
		if (emoji && change.reaction && !emoji(change.reaction.code)) return false;
		return true;
	});
}

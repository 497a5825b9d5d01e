/**
 * The sandbox playing Pumble's App platform: one app (its ID, app key, signing secret, bot and user tokens),
 * the URL(s) it delivers to, and every delivery it made. When the workspace changes — through the API-key API,
 * the App API (./api.ts) or an admin post — it signs the event and POSTs it at once; it also simulates slash
 * commands, shortcuts and button clicks, redelivers on demand, and sends forged, stale or unsigned requests.
 *
 * Signing: the hex HMAC-SHA256 of `${timestamp}:${rawBody}` with the signing secret, in headers
 * x-pumble-request-timestamp and x-pumble-request-signature (CAKE-com/pumble-node-sdk
 * pumble-sdk/src/core/adapters/http/middlewares.ts). The timestamp's unit is undocumented, so it is a setting.
 */
import { createHmac, randomUUID } from 'node:crypto';

import { IDS } from '../seed';
import type { Workspace, WorkspaceChange } from '../workspace';
import * as envelopes from './envelopes';
import type { BlockInteractionInput, Envelope, ShortcutInput, SlashCommandInput } from './envelopes';

/** The sandbox app's fixed identity: the bot token acts as Ada's bot, the user token as Ada (the installer). */
export const SANDBOX_APP = {
	appId: '6650000000000000000000a0',
	appKey: 'pumble-sandbox-app-key',
	signingSecret: 'pumble-sandbox-signing-secret',
	botToken: 'pumble-sandbox-bot-token',
	userToken: 'pumble-sandbox-user-token',
	botUserId: IDS.adaBot,
	installerId: IDS.ada,
} as const;

/** How a request is sent: `signed` as Pumble does; the others are what a receiver must refuse. */
export type SendMode = 'signed' | 'forged' | 'stale' | 'unsigned' | 'badTimestamp' | 'malformed';
export type TimestampUnit = 'ms' | 's';

export interface Delivery {
	id: string;
	url: string;
	/** NEW_MESSAGE…, or SLASH_COMMAND / BLOCK_INTERACTION / SHORTCUT. */
	type: string;
	mode: SendMode;
	rawBody: string;
	/** When the change happened (or the trigger was simulated), ms. */
	causedAt: number;
	sentAt: number;
	answeredAt?: number;
	status?: number;
	answer?: string;
	error?: string;
	/** Set on a redelivery: the delivery it repeats. */
	redeliveryOf?: string;
}

export interface Ephemeral {
	channelId: string;
	userIds: string[];
	text: string;
	via: 'response' | 'api';
	/** The thread an App API ephemeral was posted in. */
	threadRootId?: string;
	at: number;
}

export interface AppSettings {
	timestampUnit: TimestampUnit;
	/** Deliver workspace changes automatically (default true). */
	autoDeliver: boolean;
}

export class AppPlatform {
	readonly app = SANDBOX_APP;
	readonly deliveries: Delivery[] = [];
	readonly ephemerals: Ephemeral[] = [];
	readonly settings: AppSettings = { timestampUnit: 'ms', autoDeliver: true };
	private readonly urls = new Set<string>();
	private readonly inFlight = new Set<Promise<unknown>>();
	private triggerCounter = 0;

	constructor(
		private readonly workspace: () => Workspace,
		private readonly clock: () => number,
	) {}

	/** Starts listening to a workspace (after every reset, the sandbox calls this with the new state). */
	attach(state: Workspace): void {
		state.changeListeners.add((change) => this.onChange(change));
	}

	subscribe(url: string): void {
		this.urls.add(url);
	}

	unsubscribe(url?: string): void {
		if (url === undefined) this.urls.clear();
		else this.urls.delete(url);
	}

	get subscribers(): string[] {
		return [...this.urls];
	}

	configure(patch: Partial<AppSettings>): void {
		if (patch.timestampUnit === 'ms' || patch.timestampUnit === 's') this.settings.timestampUnit = patch.timestampUnit;
		if (typeof patch.autoDeliver === 'boolean') this.settings.autoDeliver = patch.autoDeliver;
	}

	/** Forgets deliveries and ephemerals (subscriptions stay). */
	clearLog(): void {
		this.deliveries.length = 0;
		this.ephemerals.length = 0;
	}

	/** Waits for every delivery in flight. */
	async settle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	/** Any Pumble event with a body of short names, e.g. CHANNEL_ARCHIVED or WORKSPACE_USER_JOINED. */
	event(eventType: string, body: Record<string, unknown>, mode: SendMode = 'signed'): Promise<Delivery[]> {
		return this.deliverAll(envelopes.pumbleEvent(eventType, this.workspace().id, [this.app.installerId], body), eventType, mode);
	}

	/** A user runs a slash command; a `{ message }` in the answer is shown to them as an ephemeral message. */
	slashCommand(input: SlashCommandInput, mode: SendMode = 'signed'): Promise<Delivery[]> {
		return this.deliverAll(envelopes.slashCommand(this.workspace().id, input, this.triggerId()), 'SLASH_COMMAND', mode);
	}

	/** A user clicks a button (or uses another block element) in a message. */
	blockInteraction(input: BlockInteractionInput, mode: SendMode = 'signed'): Promise<Delivery[]> {
		return this.deliverAll(envelopes.blockInteraction(this.workspace().id, input, this.triggerId()), 'BLOCK_INTERACTION', mode);
	}

	shortcut(input: ShortcutInput, mode: SendMode = 'signed'): Promise<Delivery[]> {
		return this.deliverAll(envelopes.shortcut(this.workspace().id, input, this.triggerId()), 'SHORTCUT', mode);
	}

	/** Sends an earlier delivery's body again, freshly signed (as Pumble does when it retries). */
	redeliver(id: string, mode: SendMode = 'signed'): Promise<Delivery> {
		const original = this.deliveries.find((d) => d.id === id);
		if (!original) return Promise.reject(new Error(`No delivery ${id}`));
		return this.track(this.send(original.url, original.rawBody, original.type, mode, original.causedAt, original.id));
	}

	/** Records an ephemeral message sent through the App API. */
	recordEphemeral(entry: Omit<Ephemeral, 'at'>): void {
		this.ephemerals.push({ ...entry, at: this.clock() });
	}

	private triggerId(): string {
		this.triggerCounter += 1;
		return `sandbox-trigger-${this.triggerCounter}-${randomUUID()}`;
	}

	private onChange(change: WorkspaceChange): void {
		if (!this.settings.autoDeliver || this.urls.size === 0) return;
		const ws = this.workspace();
		const users = [this.app.installerId];
		let envelope: Envelope;
		let type: string;
		switch (change.kind) {
			case 'messageCreated':
			case 'messageEdited': {
				type = change.kind === 'messageCreated' ? 'NEW_MESSAGE' : 'UPDATED_MESSAGE';
				const root = change.message.threadRootId ? ws.messages.find((m) => m.id === change.message.threadRootId) : undefined;
				const body = envelopes.messageBody(type as 'NEW_MESSAGE', ws.id, change.message, { text: root?.text });
				envelope = envelopes.pumbleEvent(type, ws.id, users, body);
				break;
			}
			case 'reactionAdded':
				type = 'REACTION_ADDED';
				envelope = envelopes.pumbleEvent(type, ws.id, users, envelopes.reactionBody(ws.id, change.message, change.userId, change.code));
				break;
			case 'channelCreated':
				type = 'CHANNEL_CREATED';
				envelope = envelopes.pumbleEvent(type, ws.id, users, envelopes.channelBody(ws.id, change.channel));
				break;
		}
		void this.deliverAll(envelope, type, 'signed');
	}

	private deliverAll(envelope: Envelope, type: string, mode: SendMode): Promise<Delivery[]> {
		const rawBody = mode === 'malformed' ? `${JSON.stringify(envelope).slice(0, -1)},` : JSON.stringify(envelope);
		const causedAt = this.clock();
		return this.track(Promise.all(this.subscribers.map((url) => this.send(url, rawBody, type, mode, causedAt))));
	}

	private track<T>(work: Promise<T>): Promise<T> {
		this.inFlight.add(work);
		void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
		return work;
	}

	private headers(rawBody: string, mode: SendMode): Record<string, string> {
		if (mode === 'unsigned') return {};
		const now = this.clock();
		const at = mode === 'stale' ? now - 10 * 60_000 : now;
		const timestamp = mode === 'badTimestamp' ? 'yesterday' : this.settings.timestampUnit === 's' ? String(Math.floor(at / 1000)) : String(at);
		const secret = mode === 'forged' ? `${this.app.signingSecret}-not` : this.app.signingSecret;
		const signature = createHmac('sha256', secret).update(`${timestamp}:${rawBody}`).digest('hex');
		return { 'x-pumble-request-timestamp': timestamp, 'x-pumble-request-signature': signature };
	}

	private async send(url: string, rawBody: string, type: string, mode: SendMode, causedAt: number, redeliveryOf?: string): Promise<Delivery> {
		const delivery: Delivery = { id: randomUUID(), url, type, mode, rawBody, causedAt, sentAt: this.clock(), ...(redeliveryOf ? { redeliveryOf } : {}) };
		this.deliveries.push(delivery);
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...this.headers(rawBody, mode) },
				body: rawBody,
				signal: AbortSignal.timeout(10_000),
			});
			delivery.answer = await response.text();
			delivery.status = response.status;
			delivery.answeredAt = this.clock();
			if (type === 'SLASH_COMMAND' && response.ok) this.ephemeralFromAnswer(rawBody, delivery.answer);
		} catch (error) {
			delivery.error = (error as Error).message;
			delivery.answeredAt = this.clock();
		}
		return delivery;
	}

	/** The SDK acknowledges with `{ message }` (AddonHttpListener.ts `ackFunction`): shown to the invoking user. */
	private ephemeralFromAnswer(rawBody: string, answer: string): void {
		try {
			const parsed = JSON.parse(answer) as { message?: unknown };
			if (typeof parsed.message !== 'string' || parsed.message === '') return;
			const command = JSON.parse(rawBody) as { channelId: string; userId: string };
			this.recordEphemeral({ channelId: command.channelId, userIds: [command.userId], text: parsed.message, via: 'response' });
		} catch {
			// Not JSON: no ephemeral message.
		}
	}
}

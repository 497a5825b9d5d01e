/**
 * What every result of the Pumble node run against the sandbox is checked for: the key appears nowhere a
 * user or a log could see it, each item is paired, user-facing errors name the item and what to fix, and
 * every request was authenticated as the suite's user.
 */
import { inspect } from 'node:util';

import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RunNodeResult } from './runNode';
import type { LogEntry, SandboxSuite } from './sandboxSuite';

export function nodeAssertions(suite: SandboxSuite) {
	/** The key must not appear in anything a user or a log could see. */
	function expectNoSecret(result: RunNodeResult, secret = suite.apiKey): void {
		const texts = [JSON.stringify(result.output), JSON.stringify(result.outputs), JSON.stringify(result.hints)];
		const error = result.error as (Error & { description?: unknown; context?: unknown; cause?: unknown }) | undefined;
		if (error) {
			texts.push(
				JSON.stringify(error),
				error.message,
				String(error.description),
				String(error.stack),
				JSON.stringify(error.context ?? null),
				inspect(error, { depth: 20, showHidden: true }),
			);
		}
		for (const text of texts) expect(text).not.toContain(secret);
	}

	function expectOk(result: RunNodeResult): void {
		if (result.error) throw result.error;
		expectNoSecret(result);
	}

	function expectEveryItemPaired(result: RunNodeResult, itemOf: (outputIndex: number) => number = () => 0): void {
		result.output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: itemOf(index) }));
	}

	/** A user-facing error of the right class and item, whose message and description say what to fix. */
	function expectNodeError(
		result: RunNodeResult,
		kind: typeof NodeOperationError | typeof NodeApiError,
		itemIndex: number,
		message: RegExp,
		description?: RegExp,
	): void {
		expect(result.error).toBeInstanceOf(kind);
		const error = result.error as NodeOperationError | NodeApiError;
		expect(error.context.itemIndex).toBe(itemIndex);
		expect(error.message).toMatch(message);
		expect(error.message).toContain(`[item ${itemIndex}]`);
		if (description) expect(error.description).toMatch(description);
		expect(result.output).toEqual([]);
		expectNoSecret(result);
	}

	/** Every logged request was authenticated by n8n with the credential's header, as Ada. */
	function expectAuthenticatedAsAda(entries: LogEntry[]): void {
		for (const entry of entries) {
			expect(entry.headerName).toBe('ApiKey');
			expect(entry.keyHash).not.toBeNull();
			expect(entry.userId).toBe(suite.sandbox.ids.ada);
		}
	}

	return { expectNoSecret, expectOk, expectEveryItemPaired, expectNodeError, expectAuthenticatedAsAda };
}

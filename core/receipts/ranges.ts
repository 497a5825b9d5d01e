/**
 * A failed run told item by item: which items were sent (with their message IDs), which never started,
 * which failed without being sent and whose outcome is unknown — each list in ranges ("0–119, 300"), so
 * neither a retry nor a hand-made re-run repeats or drops anything.
 */

/** What became of one item of a run that stopped. */
export type ItemFate =
	| { kind: 'sent'; id?: string; alreadySent?: boolean }
	| { kind: 'notStarted' }
	/** Certainly not sent (Pumble refused it, or a read). */
	| { kind: 'notSent' }
	| { kind: 'unknown' };

/** "0–119, 121, 300–599" for sorted or unsorted indexes. */
export function toRanges(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length; ) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
		i = j + 1;
	}
	return parts.join(', ');
}

/** Message IDs listed in full up to this many; beyond, the first and last of each range. */
const MAX_LISTED_IDS = 50;

function sentLine(sent: Array<{ index: number; id?: string; alreadySent?: boolean }>): string {
	const ids = sent.filter((item) => item.id !== undefined);
	let which: string;
	if (ids.length === 0) which = '';
	else if (ids.length <= MAX_LISTED_IDS) which = `; message IDs: ${ids.map((item) => `${item.index} → ${item.id}`).join(', ')}`;
	else which = `; message IDs of the first and last: ${ids[0].index} → ${ids[0].id}, ${ids[ids.length - 1].index} → ${ids[ids.length - 1].id} (every item's ID is in the retry's output)`;
	const earlier = sent.filter((item) => item.alreadySent).length;
	const note = earlier > 0 ? ` (${earlier} of them by an earlier run)` : '';
	return `Sent (${sent.length})${note}: items ${toRanges(sent.map((item) => item.index))}${which}.`;
}

/**
 * The lines of a stopped run's account, or undefined when every item was sent or nothing was written.
 * `fates[i]` is item i's fate; `retryHint` says how to go on without sending the sent items again.
 */
export function describeFates(fates: ItemFate[], retryHint: string): string | undefined {
	const sent: Array<{ index: number; id?: string; alreadySent?: boolean }> = [];
	const notStarted: number[] = [];
	const notSent: number[] = [];
	const unknown: number[] = [];
	fates.forEach((fate, index) => {
		if (fate.kind === 'sent') sent.push({ index, id: fate.id, alreadySent: fate.alreadySent });
		else if (fate.kind === 'notStarted') notStarted.push(index);
		else if (fate.kind === 'notSent') notSent.push(index);
		else unknown.push(index);
	});
	if (notStarted.length + notSent.length + unknown.length === 0) return undefined;
	const lines = [`What happened to the ${fates.length} items:`];
	if (sent.length > 0) lines.push(sentLine(sent));
	if (notSent.length > 0) lines.push(`Failed, not sent (${notSent.length}): items ${toRanges(notSent)}.`);
	if (notStarted.length > 0) lines.push(`Never started (${notStarted.length}): items ${toRanges(notStarted)}.`);
	if (unknown.length > 0) lines.push(`Outcome unknown (${unknown.length}): items ${toRanges(unknown)} — look in Pumble before sending them again.`);
	lines.push(sent.length > 0 ? retryHint : 'Nothing was sent: running it again sends nothing twice.');
	return lines.join('\n');
}

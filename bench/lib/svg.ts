/**
 * A dependency-free SVG chart: one panel per scenario, requests per (simulated) second as bars and the
 * requests in the trailing (simulated) minute as a line, against the limit as a dashed line.
 */
export interface Panel {
	title: string;
	/** Seconds (simulated) per bin; bars[i] covers [i, i+1) bins. */
	binSeconds: number;
	/** Accepted requests per bin. */
	bars: number[];
	/** Accepted requests in the window ending at each bin's end. */
	trailing: number[];
	/** Requests refused (429) per bin, drawn in red on top. */
	refused?: number[];
	limit: number;
	limitLabel: string;
}

const WIDTH = 960;
const PANEL_HEIGHT = 170;
const MARGIN = { left: 64, right: 24, top: 28, bottom: 30 };

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceStep(max: number, ticks: number): number {
	const raw = max / ticks;
	const power = 10 ** Math.floor(Math.log10(raw));
	for (const factor of [1, 2, 2.5, 5, 10]) if (raw <= factor * power) return factor * power;
	return 10 * power;
}

export function renderChart(title: string, subtitle: string, panels: Panel[]): string {
	const height = 60 + panels.length * PANEL_HEIGHT + 40;
	const parts: string[] = [];
	parts.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
		`<rect width="100%" height="100%" fill="#ffffff"/>`,
		`<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
		`<text x="${MARGIN.left}" y="40" fill="#555">${escape(subtitle)}</text>`,
	);
	panels.forEach((panel, index) => {
		const top = 60 + index * PANEL_HEIGHT;
		const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
		const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
		const x0 = MARGIN.left;
		const y0 = top + MARGIN.top + plotHeight;
		const bins = Math.max(panel.bars.length, panel.trailing.length, 1);
		const duration = bins * panel.binSeconds;
		const yMax = Math.max(panel.limit * 1.15, ...panel.trailing, ...panel.bars, 1);
		const x = (seconds: number) => x0 + (seconds / duration) * plotWidth;
		const y = (value: number) => y0 - (value / yMax) * plotHeight;

		parts.push(`<text x="${x0}" y="${top + 16}" font-size="12" font-weight="bold">${escape(panel.title)}</text>`);
		// axes and grid
		const yStep = niceStep(yMax, 4);
		for (let v = 0; v <= yMax; v += yStep) {
			parts.push(
				`<line x1="${x0}" y1="${y(v).toFixed(1)}" x2="${x0 + plotWidth}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
				`<text x="${x0 - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#666">${v}</text>`,
			);
		}
		const xStep = niceStep(duration, 10);
		for (let s = 0; s <= duration + 1e-9; s += xStep) {
			parts.push(`<text x="${x(s).toFixed(1)}" y="${y0 + 14}" text-anchor="middle" fill="#666">${Math.round(s)}</text>`);
		}
		parts.push(
			`<line x1="${x0}" y1="${y0}" x2="${x0 + plotWidth}" y2="${y0}" stroke="#999"/>`,
			`<text x="${x0 + plotWidth}" y="${y0 + 26}" text-anchor="end" fill="#666">seconds (simulated)</text>`,
		);
		// bars: requests per bin
		const barWidth = Math.max(0.5, plotWidth / bins - 0.3);
		panel.bars.forEach((value, i) => {
			if (value <= 0) return;
			parts.push(
				`<rect x="${x(i * panel.binSeconds).toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y0 - y(value)).toFixed(1)}" fill="#9ecae1"/>`,
			);
		});
		panel.refused?.forEach((value, i) => {
			if (value <= 0) return;
			parts.push(
				`<rect x="${x(i * panel.binSeconds).toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y0 - y(value)).toFixed(1)}" fill="#e6550d"/>`,
			);
		});
		// trailing window line
		const points = panel.trailing.map((value, i) => `${x((i + 1) * panel.binSeconds).toFixed(1)},${y(value).toFixed(1)}`);
		if (points.length > 0) {
			parts.push(`<polyline points="${x0},${y0} ${points.join(' ')}" fill="none" stroke="#08519c" stroke-width="1.6"/>`);
		}
		// limit
		parts.push(
			`<line x1="${x0}" y1="${y(panel.limit).toFixed(1)}" x2="${x0 + plotWidth}" y2="${y(panel.limit).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4" stroke-width="1.4"/>`,
			`<text x="${x0 + plotWidth - 4}" y="${(y(panel.limit) - 5).toFixed(1)}" text-anchor="end" fill="#d62728">${escape(panel.limitLabel)}</text>`,
		);
	});
	const legendY = height - 14;
	parts.push(
		`<rect x="${MARGIN.left}" y="${legendY - 9}" width="12" height="10" fill="#9ecae1"/>`,
		`<text x="${MARGIN.left + 18}" y="${legendY}">requests accepted per second</text>`,
		`<line x1="${MARGIN.left + 200}" y1="${legendY - 4}" x2="${MARGIN.left + 224}" y2="${legendY - 4}" stroke="#08519c" stroke-width="1.6"/>`,
		`<text x="${MARGIN.left + 230}" y="${legendY}">requests in the trailing minute (what the limit counts)</text>`,
		`<line x1="${MARGIN.left + 530}" y1="${legendY - 4}" x2="${MARGIN.left + 554}" y2="${legendY - 4}" stroke="#d62728" stroke-dasharray="6 4"/>`,
		`<text x="${MARGIN.left + 560}" y="${legendY}">limit</text>`,
		`<rect x="${MARGIN.left + 600}" y="${legendY - 9}" width="12" height="10" fill="#e6550d"/>`,
		`<text x="${MARGIN.left + 618}" y="${legendY}">429 answers</text>`,
		'</svg>',
	);
	return parts.join('\n') + '\n';
}

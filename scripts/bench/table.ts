/** One line of the benchmark's table: what was measured, its value, and the target it is held to. */
export type Row = { run: string; measure: string; value: string; target?: string; met?: boolean };

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const mbits = (bitsPerSecond: number) => `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The table as printed: a header, then each row with its target and whether it was met. */
export function tableLines(rows: readonly Row[], widths: readonly number[] = [38, 42, 28, 28]): string[] {
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' ').trimEnd();
  return [line(['run', 'measure', 'value', 'target']), ...rows.map((row) => line([row.run, row.measure, row.value, row.target ? `${row.target} ${row.met ? 'met' : 'NOT met'}` : '']))];
}

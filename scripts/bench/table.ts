/** One line of the benchmark's table: what was measured, its value, and the target it is held to. */
export type Row = { run: string; measure: string; value: string; target?: string; met?: boolean };

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const mbits = (bitsPerSecond: number) => `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The export panel's stretch: its default around the picture, and what is wrong with one. Pure. */

/** What an export may span, as the export route allows (lib/recording/recording-query.ts). */
export const MAX_EXPORT_MS = 6 * 3_600_000;
export const EXPORT_AROUND_MS = 30_000;

export type ExportRange = { from: number; to: number };

/** A minute around the picture shown, on whole seconds. */
export function defaultExportRange(clock: number): ExportRange {
  const centre = Math.round(clock / 1000) * 1000;
  return { from: centre - EXPORT_AROUND_MS, to: centre + EXPORT_AROUND_MS };
}

/** Why `range` cannot be exported, in words; undefined when it can. */
export function exportProblem(range: Partial<ExportRange>): string | undefined {
  if (range.from === undefined) return 'Start: pick a time';
  if (range.to === undefined) return 'End: pick a time';
  if (range.to <= range.from) return 'End must be after the start';
  if (range.to - range.from > MAX_EXPORT_MS) return 'An export can be at most 6 hours long';
  return undefined;
}

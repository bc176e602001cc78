/**
 * Start-up: make the index and the files agree before anything records or plays. A crash leaves
 * open rows (the file went on after the last extend, or stopped mid-fragment), rows whose file was
 * deleted by hand, and files whose row never got written (the process died between the file's
 * first bytes and the row). Files that are not segments are never touched.
 */
import { readdir, rm, rmdir, truncate } from 'node:fs/promises';
import path from 'node:path';
import { log } from '../log';
import { RecordingError } from './recording-error';
import { scanSegmentFile, type SegmentFileScan } from './segment-file';
import type { SegmentIndex } from './segment-index';
import { clockOf, parseSegmentPath, type Segment } from './types';

export type ReconcileCounts = {
  /** Open rows given their file's real end and size, and finished. */
  finished: number;
  /** Rows deleted because their file is gone. */
  missingFiles: number;
  /** Files without a row, scanned and indexed. */
  indexed: number;
  /** Segment files that held no whole fragment (or no init), deleted with their row if any. */
  emptyFiles: number;
  /** Files that ended in a fragment cut short, cut back to their last whole one. */
  truncated: number;
  truncatedBytes: number;
  /** Files in the directory that are not segments: left alone. */
  otherFiles: number;
  /** Day directories left empty, removed. */
  emptyDays: number;
};

const DAY_DIRECTORY = /^\d{4}-\d{2}-\d{2}$/;
const EXAMPLES = 3;

export async function reconcileRecordings(dir: string, index: SegmentIndex): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { finished: 0, missingFiles: 0, indexed: 0, emptyFiles: 0, truncated: 0, truncatedBytes: 0, otherFiles: 0, emptyDays: 0 };
  const examples: Record<string, string[]> = {};
  const note = (kind: keyof ReconcileCounts, relative: string) => {
    counts[kind] += 1;
    (examples[kind] ??= []).length < EXAMPLES && examples[kind].push(relative);
  };

  const { segments, others, days } = await listSegmentFiles(dir);
  counts.otherFiles = others.length;
  for (const other of others.slice(0, EXAMPLES)) (examples.otherFiles ??= []).push(other);

  const open = new Map(index.openSegments().map((segment) => [segment.path, segment]));
  const rows = index.paths();
  const gone = [...rows].filter(([relative]) => !segments.has(relative));
  index.delete(gone.map(([, id]) => id));
  for (const [relative] of gone) note('missingFiles', relative);

  for (const relative of segments) {
    const row = open.get(relative);
    if (rows.has(relative) && !row) continue; // finished, with its file: nothing to do
    const file = path.join(dir, relative);
    const scan = await scanOrUndefined(file);
    if (!scan || scan.fragments.length === 0) {
      await rm(file, { force: true });
      if (row) index.delete([row.id]);
      note('emptyFiles', relative);
      continue;
    }
    // What follows the last whole fragment can never be read: the file is cut back to it, so that its size is what the index says.
    if (scan.trailingBytes > 0) {
      await truncate(file, scan.wholeBytes);
      counts.truncatedBytes += scan.trailingBytes;
      note('truncated', relative);
    }
    if (row) {
      index.finish(row.id, endOf(row, scan), scan.wholeBytes);
      note('finished', relative);
    } else {
      const named = parseSegmentPath(relative)!;
      const first = scan.fragments[0]!;
      const segment = { ...named, path: relative, codec: scan.init.codec, width: scan.init.width, height: scan.init.height, timescale: scan.init.timescale, mediaStart: first.decodeTime, initBytes: scan.initBytes };
      const id = index.begin(segment);
      index.finish(id, endOf(segment, scan), scan.wholeBytes);
      note('indexed', relative);
    }
  }

  for (const day of days) {
    // rmdir removes only an empty directory: one that still holds anything stays, whatever it holds.
    if (await rmdir(path.join(dir, day)).then(() => true, () => false)) note('emptyDays', day);
  }

  logCounts(dir, counts, examples);
  return counts;
}

/** The clock time at the end of the file's last whole fragment. */
function endOf(segment: Pick<Segment, 'startedAt' | 'timescale' | 'mediaStart'>, scan: SegmentFileScan): number {
  const last = scan.fragments.at(-1)!;
  return Math.max(segment.startedAt, Math.round(clockOf(segment, last.decodeTime + last.duration)));
}

async function scanOrUndefined(file: string): Promise<SegmentFileScan | undefined> {
  try {
    return await scanSegmentFile(file);
  } catch (error) {
    if (error instanceof RecordingError) return undefined;
    throw error;
  }
}

/** `<camera>/<day>/<file>` under `dir`: the segment files by their relative path, everything else, and the day directories. */
async function listSegmentFiles(dir: string): Promise<{ segments: Set<string>; others: string[]; days: string[] }> {
  const segments = new Set<string>();
  const others: string[] = [];
  const days: string[] = [];
  for (const camera of await entries(dir)) {
    if (!camera.isDirectory()) {
      others.push(camera.name);
      continue;
    }
    for (const day of await entries(path.join(dir, camera.name))) {
      const dayPath = `${camera.name}/${day.name}`;
      if (!day.isDirectory() || !DAY_DIRECTORY.test(day.name)) {
        others.push(dayPath);
        continue;
      }
      days.push(dayPath);
      for (const file of await entries(path.join(dir, camera.name, day.name))) {
        const relative = `${dayPath}/${file.name}`;
        if (file.isFile() && parseSegmentPath(relative)) segments.add(relative);
        else others.push(relative);
      }
    }
  }
  return { segments, others, days };
}

async function entries(directory: string) {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const DESCRIPTIONS: Record<Exclude<keyof ReconcileCounts, 'truncatedBytes'>, [level: 'info' | 'warn', text: string]> = {
  finished: ['info', 'segments left open by the last run were finished at their files’ real end'],
  truncated: ['warn', 'segment files ended in a fragment cut short and were cut back to their last whole one'],
  missingFiles: ['warn', 'segments whose files are gone were taken out of the index'],
  indexed: ['warn', 'segment files without an index row were indexed'],
  emptyFiles: ['warn', 'segment files without a whole fragment were deleted'],
  otherFiles: ['info', 'files in the recordings directory that are not segments were left alone'],
  emptyDays: ['info', 'empty day directories were removed'],
};

function logCounts(dir: string, counts: ReconcileCounts, examples: Record<string, string[]>): void {
  for (const [kind, [level, text]] of Object.entries(DESCRIPTIONS)) {
    const count = counts[kind as keyof ReconcileCounts];
    if (count === 0) continue;
    const fields: Record<string, unknown> = { count, examples: examples[kind] ?? [] };
    if (kind === 'truncated') fields.bytes = counts.truncatedBytes;
    log(level, `recording: ${dir}: ${count} ${text}`, fields);
  }
}

import { open } from 'node:fs/promises';
import { jsonResponse, NO_STORE_HEADERS } from '../http/no-store';
import { clientGoneSignal } from '../http/client-gone';
import { log } from '../log';
import { fileRangesStream } from './file-stream';
import { findMediaRange } from './media-range';
import { RecordingError } from './recording-error';
import { describeProblem, parseCameraId, parseMediaQuery, parseSpansQuery, type QueryProblem } from './recording-query';
import { recordingSettingsFromEnv } from './recording-settings';
import { ScanCache } from './scan-cache';
import type { SegmentIndex } from './segment-index';
import { getSegmentIndex } from './segment-index-instance';

/** GET /api/recordings/<camera>?from=&to=: `{ spans: [{ start, end }] }` in epoch ms. A camera never recorded has none. */
export function spansResponse(idText: string, params: URLSearchParams, now = Date.now()): Response {
  const camera = parseCameraId(idText);
  if (!camera.ok) return badRequest(camera);
  const range = parseSpansQuery(params, now);
  if (!range.ok) return badRequest(range);
  return withIndex((index) => jsonResponse({ spans: index.spans(camera.value, range.value.from, range.value.to) }));
}

// On globalThis for the reason the index is: one per process, however Next loads this module.
const SCANS_KEY = Symbol.for('camdash.recording-scans');
export const recordingScans = () => ((globalThis as { [SCANS_KEY]?: ScanCache })[SCANS_KEY] ??= new ScanCache());

/**
 * GET /api/recordings/<camera>/media?at=: the init segment and the fragments from the keyframe at
 * or before `at` (see media-range.ts), streamed from the file. The X- headers place them on the
 * clock: the player sets timestampOffset = (X-Clock-Start - base) / 1000 - X-Media-Start.
 */
export async function mediaResponse(idText: string, params: URLSearchParams, requestSignal?: AbortSignal): Promise<Response> {
  const camera = parseCameraId(idText);
  if (!camera.ok) return badRequest(camera);
  const query = parseMediaQuery(params);
  if (!query.ok) return badRequest(query);
  return withIndexAsync(async (index) => {
    const { dir } = recordingSettingsFromEnv();
    let range;
    let handle;
    try {
      range = await findMediaRange(index, recordingScans(), dir, camera.value, query.value.at);
      if (!range) return jsonResponse({ error: `nothing is recorded near ${new Date(query.value.at).toISOString()}` }, 404);
      handle = await open(range.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Retention took the file between the index's answer and now.
      return jsonResponse({ error: 'that recording was just deleted' }, 404);
    }
    const { scan, segment } = range;
    const first = scan.fragments[range.first]!;
    const last = scan.fragments[range.end - 1]!;
    const byteRange = [first.offset, last.offset + last.size] as const;
    const headers: Record<string, string> = {
      ...NO_STORE_HEADERS,
      'Content-Type': 'video/mp4',
      'Content-Length': String(scan.init.bytes.length + byteRange[1] - byteRange[0]),
      'X-Clock-Start': String(Math.round(range.clockStart)),
      'X-Media-Start': String(range.mediaStart),
      'X-Clock-End': String(Math.round(range.clockEnd)),
      'X-Codec': segment.codec,
    };
    if (range.next !== undefined) headers['X-Next'] = String(range.next);
    const body = fileRangesStream(handle, [byteRange], { prefix: scan.init.bytes, signal: clientGoneSignal(requestSignal) });
    return new Response(body, { headers });
  });
}

export function withIndex(answer: (index: SegmentIndex) => Response): Response {
  const index = openIndex();
  return index instanceof Response ? index : answer(index);
}

export async function withIndexAsync(answer: (index: SegmentIndex) => Promise<Response>): Promise<Response> {
  const index = openIndex();
  return index instanceof Response ? index : answer(index);
}

function openIndex(): SegmentIndex | Response {
  try {
    return getSegmentIndex();
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    log('error', error.message);
    return jsonResponse({ error: `the recordings' index is unavailable (${error.message})` }, 503);
  }
}

export const badRequest = (problem: QueryProblem) => jsonResponse({ error: describeProblem(problem), parameter: problem.parameter }, 400);

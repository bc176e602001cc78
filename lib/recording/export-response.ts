import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { clientGoneSignal } from '../http/client-gone';
import { jsonResponse, NO_STORE_HEADERS } from '../http/no-store';
import { locateFfmpeg } from '../ffmpeg/locate';
import { log } from '../log';
import { planExport } from './export-plan';
import { writeExport } from './export';
import { fileRangesStream } from './file-stream';
import { RecordingError } from './recording-error';
import { parseCameraId, parseExportQuery } from './recording-query';
import { badRequest, recordingScans, withIndexAsync } from './recording-responses';
import { recordingSettingsFromEnv } from './recording-settings';

// Found once per process (it runs `ffmpeg -version`), on globalThis as everything per-process is.
const FFMPEG_KEY = Symbol.for('camdash.recording-export-ffmpeg');
const ffmpegLocation = () => ((globalThis as { [FFMPEG_KEY]?: ReturnType<typeof locateFfmpeg> })[FFMPEG_KEY] ??= locateFfmpeg());

/**
 * GET /api/recordings/<camera>/export.mp4?from=&to=: the footage as one MP4, copied, with its moov
 * first, as a download named after the camera and the time. The answer starts once ffmpeg is done
 * (the file's length is then known); a client that leaves before or during the download stops
 * ffmpeg and the temporary file is deleted.
 */
export async function exportResponse(idText: string, params: URLSearchParams, requestSignal?: AbortSignal): Promise<Response> {
  const camera = parseCameraId(idText);
  if (!camera.ok) return badRequest(camera);
  const range = parseExportQuery(params);
  if (!range.ok) return badRequest(range);
  const { from, to } = range.value;
  return withIndexAsync(async (index) => {
    const plan = await planExport(index, recordingScans(), recordingSettingsFromEnv().dir, camera.value, from, to);
    if (!plan) return jsonResponse({ error: `nothing is recorded between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}` }, 404);
    const ffmpeg = await ffmpegLocation();
    if (!ffmpeg.ok) return jsonResponse({ error: 'ffmpeg was not found on the server (see the server log)' }, 503);

    const gone = clientGoneSignal(requestSignal);
    const directory = await mkdtemp(path.join(os.tmpdir(), 'camdash-export-'));
    const removeDirectory = () => rm(directory, { recursive: true, force: true });
    const output = path.join(directory, 'export.mp4');
    let handle;
    try {
      await writeExport(plan, ffmpeg.path, output, gone);
      handle = await open(output, 'r');
    } catch (error) {
      await removeDirectory();
      if (gone.aborted) return jsonResponse({ error: 'the client went away' }, 499);
      if (!(error instanceof RecordingError)) throw error;
      log('error', `recording: export of ${camera.value} failed: ${error.message}`, { camera: camera.value });
      return jsonResponse({ error: error.message }, 500);
    }
    const { size } = await handle.stat();
    const headers: Record<string, string> = {
      ...NO_STORE_HEADERS,
      'Content-Type': 'video/mp4',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${exportFileName(camera.value, from, to)}"`,
      // Where the picture starts: the pre-roll before it is in the file but not shown.
      'X-Clock-Start': String(Math.round(plan.clockStart + plan.preRollMs)),
      'X-Clock-End': String(Math.round(plan.clockEnd)),
    };
    if (plan.stoppedBecause) headers['X-Export-Stopped'] = plan.stoppedBecause;
    return new Response(fileRangesStream(handle, [[0, size]], { signal: gone, onClose: removeDirectory }), { headers });
  });
}

/** `<camera>-<YYYY-MM-DDTHH-MM-SSZ>-<HH-MM-SSZ>.mp4`, in UTC as the files are. */
export function exportFileName(camera: string, from: number, to: number): string {
  const stamp = (time: number) => new Date(time).toISOString().slice(0, 19).replaceAll(':', '-');
  return `${camera}-${stamp(from)}Z-${stamp(to).slice(11)}Z.mp4`;
}

import { spawn } from 'node:child_process';
import { liveReaderArgs } from '../../lib/ffmpeg/live-args';
import { Fmp4Reader } from '../../lib/fmp4/fmp4-reader';
import { delayMs, stampFromStrip, STAMP_BITS, STAMP_BLOCK } from './clock-stamp';
import { sleep } from './table';

/**
 * How soon a clock-stamped camera's frames leave ffmpeg when its video is only copied: as camdash's
 * camera connection writes them (fragmented MP4, one fragment per frame: liveReaderArgs), and, run
 * beside it on the same camera, the same copy written as raw H.264 with a flush per packet. The
 * difference is what the fMP4 muxer itself holds a frame back. Each output is noted as it comes
 * and decoded afterwards for its stamps (ffmpeg, the top strip in gray, as clock-stamp.ts).
 */
const STRIP_WIDTH = STAMP_BITS * STAMP_BLOCK;
const STRIP_BYTES = STRIP_WIDTH * STAMP_BLOCK;

function decodeStamps(stream: Buffer, format: 'mp4' | 'h264'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', format, '-i', 'pipe:0', '-vf', `crop=${STRIP_WIDTH}:${STAMP_BLOCK}:0:0,format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', () => {
      const strips = Buffer.concat(out);
      const stamps: number[] = [];
      for (let at = 0; at + STRIP_BYTES <= strips.length; at += STRIP_BYTES) stamps.push(stampFromStrip(strips.subarray(at, at + STRIP_BYTES)));
      resolve(stamps);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stream);
  });
}

export async function copyDelays(url: string, warmUpMs: number, windowMs: number): Promise<{ fragments: number[]; packets: number[] }> {
  const fmp4 = spawn('ffmpeg', liveReaderArgs({ url }), { stdio: ['ignore', 'pipe', 'ignore'] });
  const raw = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-probesize', '32', '-analyzeduration', '0', '-i', url, '-map', '0:v:0', '-c:v', 'copy', '-f', 'h264', '-flush_packets', '1', 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const reader = new Fmp4Reader();
  let init: Uint8Array | undefined;
  const fragments: { at: number; bytes: Uint8Array }[] = [];
  const packets: { at: number; bytes: Buffer }[] = [];
  const from = Date.now() + warmUpMs;
  try {
    fmp4.stdout.on('data', (chunk: Buffer) => {
      const now = Date.now();
      for (const event of reader.push(chunk)) {
        if (event.kind === 'init') init = event.init.bytes;
        else fragments.push({ at: now, bytes: event.fragment.bytes });
      }
    });
    raw.stdout.on('data', (chunk: Buffer) => packets.push({ at: Date.now(), bytes: chunk }));
    await sleep(warmUpMs + windowMs);
  } finally {
    fmp4.kill('SIGKILL');
    raw.kill('SIGKILL');
  }
  if (!init) throw new Error('the copy wrote no init segment');
  const fragmentStamps = await decodeStamps(Buffer.concat([init, ...fragments.map((fragment) => fragment.bytes)]), 'mp4');
  const packetStamps = await decodeStamps(Buffer.concat(packets.map((packet) => packet.bytes)), 'h264');
  // Each chunk of the raw copy must be one packet (a flush per packet, read at once), each fragment one frame: else no figure.
  const inWindow = <T extends { at: number }>(items: T[], stamps: number[]) =>
    stamps.length === items.length ? items.flatMap((item, index) => (item.at >= from ? [delayMs(item.at, stamps[index]!)] : [])) : [];
  return { fragments: inWindow(fragments, fragmentStamps), packets: inWindow(packets, packetStamps) };
}

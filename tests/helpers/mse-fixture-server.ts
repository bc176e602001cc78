import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../..');
// The player, at the server's root, and the fMP4 parsing it uses, where `@/lib/fmp4/…` points.
const MODULE_DIRS: ReadonlyArray<readonly [string, string]> = [
  [path.join(ROOT, 'components/live'), '/'],
  [path.join(ROOT, 'lib/fmp4'), '/lib/fmp4/'],
];

/** A live camera's feed as camdash will send it: ffmpeg's test pattern in H.264, a fragment per frame, keyframe every 4 s. */
function ffmpegArgs(seconds: number): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=15', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-g', '60', '-pix_fmt', 'yuv420p',
    '-an', '-f', 'mp4', '-movflags', '+frag_every_frame+empty_moov+default_base_moof', 'pipe:1',
  ];
}

type Box = { type: string; bytes: Buffer };

/** Cuts a byte stream into whole top-level boxes by their 32-bit size and type, whatever the chunking. */
export class TopLevelBoxes {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Box[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const boxes: Box[] = [];
    let at = 0;
    while (this.pending.length - at >= 8) {
      const size = this.pending.readUInt32BE(at);
      // 0 (to the end) and 1 (64-bit size) do not occur in ffmpeg's fragmented output.
      if (size < 8) throw new Error(`box size ${size} at byte ${at} is not supported here`);
      if (this.pending.length - at < size) break;
      boxes.push({ type: this.pending.toString('latin1', at + 4, at + 8), bytes: this.pending.subarray(at, at + size) });
      at += size;
    }
    this.pending = this.pending.subarray(at);
    return boxes;
  }
}

/** The RFC 6381 codec string, from the avcC record: profile, compatibility and level bytes in hex. */
export function codecOfInit(init: Buffer): string {
  // Bytes of a box's own fields before its children: stsd's version, flags and count; a visual sample entry's fields.
  const fieldsBeforeChildren: Record<string, number> = { stsd: 8, avc1: 78 };
  let [start, end] = [0, init.length];
  for (const type of ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']) {
    let found = false;
    for (let at = start; at + 8 <= end; at += init.readUInt32BE(at)) {
      if (init.toString('latin1', at + 4, at + 8) !== type) continue;
      [start, end] = [at + 8 + (fieldsBeforeChildren[type] ?? 0), at + init.readUInt32BE(at)];
      found = true;
      break;
    }
    if (!found) throw new Error(`no ${type} box in the init segment`);
  }
  return `avc1.${init.toString('hex', start + 1, start + 4).toUpperCase()}`;
}

/** Whether an mdat's length-prefixed NAL units (4-byte lengths, ffmpeg's) hold an IDR slice. */
function holdsIdr(mdat: Buffer): boolean {
  for (let at = 8; at + 5 <= mdat.length; at += 4 + mdat.readUInt32BE(at)) {
    if ((mdat[at + 4]! & 0x1f) === 5) return true;
  }
  return false;
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>MsePlayer fixture</title>
<link rel="icon" href="data:,">
<video id="video" width="640" height="360"></video>
<script type="module">
import { MsePlayer } from '/mse-player.js';
const video = document.getElementById('video');
const mse = { MsePlayer, video, player: undefined, states: [], firstPictureMs: undefined, error: undefined, fragments: 0 };
window.mse = mse;
const joined = (parts) => {
  const bytes = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.byteLength; }
  return bytes;
};
mse.play = async () => {
  const fetchStart = performance.now();
  const player = new MsePlayer(video, { onState: (state, reason) => mse.states.push({ state, reason, at: performance.now() }) });
  mse.player = player;
  try {
    const response = await fetch('/stream', { cache: 'no-store' });
    const codec = response.headers.get('x-codec');
    const reader = response.body.getReader();
    let pending = new Uint8Array(0);
    let init = [];
    let moof;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending = joined([pending, value]);
      const view = new DataView(pending.buffer);
      let at = 0;
      while (pending.length - at >= 8 && pending.length - at >= view.getUint32(at)) {
        const size = view.getUint32(at);
        const type = String.fromCharCode(...pending.subarray(at + 4, at + 8));
        const box = pending.subarray(at, at + size);
        at += size;
        if (init) {
          init.push(box);
          if (type !== 'moov') continue;
          player.start(joined(init), codec);
          video.requestVideoFrameCallback(() => { mse.firstPictureMs = performance.now() - fetchStart; });
          init = undefined;
        } else if (type === 'moof') {
          moof = box;
        } else if (type === 'mdat' && moof) {
          player.append(joined([moof, box]));
          moof = undefined;
          mse.fragments += 1;
        }
      }
      pending = pending.slice(at);
    }
  } catch (error) {
    mse.error = String(error);
  }
};
</script>
`;

export type MseFixture = {
  url: string;
  codec: string;
  /** Fragments since the newest keyframe: what a viewer joining now is sent before the live ones. */
  readonly backlog: number;
  /** Stops relaying fragments to viewers (ffmpeg carries on), as when a camera's feed stalls. */
  pauseRelay(): void;
  /** Relays again, from the newest keyframe on, as a server does for a viewer it had to drop frames for. */
  resumeRelay(): void;
  close(): Promise<void>;
};

/**
 * Serves on 127.0.0.1 a test page, the player (components/live and the lib/fmp4 it imports,
 * transpiled on the fly to ES modules) and /stream: the init segment, the fragments since the
 * newest keyframe, then each fragment as ffmpeg writes it; whole boxes in each write, the codec
 * string in X-Codec.
 */
export async function startMseFixture({ seconds = 20, timeoutMs = 10_000 } = {}): Promise<MseFixture> {
  const modules = new Map<string, string>();
  for (const [dir, prefix] of MODULE_DIRS) {
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        fileName: file,
      });
      // `@/lib/…` is the project root, which this server's root stands for.
      const code = outputText.replace(/(from\s+|import\s*\(\s*)(['"])@\//g, '$1$2/');
      // The modules import their siblings without an extension, as the app's bundler allows.
      modules.set(`${prefix}${file.replace(/\.ts$/, '')}`, code).set(`${prefix}${file.replace(/\.ts$/, '.js')}`, code);
    }
  }

  const viewers = new Set<ServerResponse>();
  let init: Buffer | undefined;
  let codec = '';
  let backlog: Buffer[] = [];
  let paused = false;
  let ended = false;
  let stderr = '';

  const ffmpeg: ChildProcess = spawn('ffmpeg', ffmpegArgs(seconds), { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    ffmpeg.once('close', () => resolve());
    ffmpeg.once('error', (error) => {
      stderr += `ffmpeg could not run: ${error.message}`;
      resolve();
    });
  });
  const splitter = new TopLevelBoxes();
  const initParts: Buffer[] = [];
  let moof: Buffer | undefined;
  ffmpeg.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  ffmpeg.stdout!.on('data', (chunk: Buffer) => {
    let boxes: Box[];
    try {
      boxes = splitter.push(chunk);
    } catch (error) {
      stderr += String(error);
      ffmpeg.kill('SIGKILL');
      return;
    }
    for (const box of boxes) {
      if (!init) {
        initParts.push(Buffer.from(box.bytes));
        if (box.type === 'moov') {
          init = Buffer.concat(initParts);
          codec = codecOfInit(init);
        }
      } else if (box.type === 'moof') {
        moof = Buffer.from(box.bytes);
      } else if (box.type === 'mdat' && moof) {
        const fragment = Buffer.concat([moof, box.bytes]);
        moof = undefined;
        if (holdsIdr(box.bytes)) backlog = [fragment];
        else backlog.push(fragment);
        if (!paused) for (const viewer of viewers) viewer.write(fragment);
      }
    }
  });
  void exited.then(() => {
    ended = true;
    for (const viewer of viewers) viewer.end();
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const module = modules.get(url.pathname);
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (module !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(module);
    } else if (url.pathname === '/stream' && init && !ended) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', 'x-codec': codec });
      response.write(init);
      for (const fragment of backlog) response.write(fragment);
      viewers.add(response);
      response.on('close', () => viewers.delete(response));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const close = async () => {
    for (const viewer of viewers) viewer.destroy();
    if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) ffmpeg.kill('SIGKILL');
    await exited;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const deadline = Date.now() + timeoutMs;
  while (!init) {
    if (ended || Date.now() > deadline) {
      await close();
      throw new Error(`ffmpeg gave no init segment within ${timeoutMs} ms: ${stderr.trim() || '(no stderr)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    codec,
    get backlog() {
      return backlog.length;
    },
    pauseRelay: () => {
      paused = true;
    },
    resumeRelay: () => {
      paused = false;
      for (const viewer of viewers) for (const fragment of backlog) viewer.write(fragment);
    },
    close,
  };
}

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFfmpeg } from './run-ffmpeg';
import { FPS, SIZE, type Scene } from './scenes';

/**
 * Renders scenes to H.264 files, cached under the system's temporary directory by a hash of
 * everything that makes them, so a second run only decodes. A file is written under a temporary
 * name and renamed into place: an interrupted run never leaves half a scene in the cache.
 */
const CACHE = path.join(os.tmpdir(), 'camdash-motion-scenes');

/** A textured still: sky, a brick wall, grass; made once by geq (slow on video, fine for one frame). */
const BACKGROUND =
  `color=c=black:s=${SIZE.width}x${SIZE.height}:d=1,format=rgb24,` +
  `geq=r='clip(if(lt(Y,120),140+0.5*Y,if(between(X,380,560)*between(Y,90,250),150+40*mod(floor(X/24)+floor(Y/14),2),95+45*sin(X/9)*sin(Y/7)+30*sin(X/31+Y/17)+40*(random(1)-0.5))),0,255)'` +
  `:g='clip(if(lt(Y,120),160+0.5*Y,if(between(X,380,560)*between(Y,90,250),110+30*mod(floor(X/24)+floor(Y/14),2),110+40*sin(X/9)*sin(Y/7)+25*sin(X/23-Y/11)+40*(random(1)-0.5))),0,255)'` +
  `:b='clip(if(lt(Y,120),210+0.2*Y,if(between(X,380,560)*between(Y,90,250),90+20*mod(floor(X/24)+floor(Y/14),2),70+30*sin(X/13)*sin(Y/5)+20*sin(X/31+Y/17)+40*(random(1)-0.5))),0,255)',` +
  'gblur=sigma=1.2';

/** A tree: a textured canopy on a trunk, transparent around. */
const TREE =
  'color=c=black:s=120x150:d=1,format=rgba,' +
  "geq=r='clip(40+30*sin(X/5)*sin(Y/4)+30*(random(1)-0.5)+if(gt(Y,95),60,0),0,255)'" +
  ":g='clip(if(gt(Y,95),60,120+50*sin(X/5)*sin(Y/4)+40*(random(1)-0.5)),0,255)'" +
  ":b='clip(30+20*sin(X/7)+20*(random(1)-0.5),0,255)'" +
  ":a='if(lte(pow((X-60)/56,2)+pow((Y-52)/50,2),1),255,if(between(X,52,68)*gt(Y,95),255,0))'";

/** Encoded as a camera encodes for live viewing: no B-frames, a keyframe every 2 s. */
const ENCODE = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '1M', '-bufsize', '2M', '-bf', '0', '-g', String(2 * FPS), '-pix_fmt', 'yuv420p'];

export async function renderScene(ffmpeg: string, scene: Scene): Promise<string> {
  const still = await cached(ffmpeg, 'background', 'png', (out) => ['-f', 'lavfi', '-i', BACKGROUND, '-frames:v', '1', out]);
  const tree = await cached(ffmpeg, 'tree', 'png', (out) => ['-f', 'lavfi', '-i', TREE, '-frames:v', '1', out]);
  const inputs = ['-loop', '1', '-framerate', String(FPS), '-i', still];
  if (scene.graph.includes('[1:v]')) inputs.push('-loop', '1', '-framerate', String(FPS), '-i', tree);
  const timeoutMs = 30_000 + scene.seconds * 200;
  return cached(ffmpeg, slug(scene.name), 'mp4', (out) => [...inputs, '-filter_complex', scene.graph, '-map', '[out]', '-t', String(scene.seconds), ...ENCODE, out], timeoutMs);
}

async function cached(ffmpeg: string, name: string, ext: string, args: (out: string) => string[], timeoutMs = 30_000): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  // The hash covers the arguments (with a placeholder for the file), the inputs' names included.
  const hash = createHash('sha256').update(JSON.stringify(args('OUT'))).digest('hex').slice(0, 16);
  const file = path.join(CACHE, `${name}-${hash}.${ext}`);
  if (existsSync(file)) return file;
  const partial = path.join(CACHE, `${name}-${hash}.${process.pid}.partial.${ext}`);
  await runFfmpeg(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args(partial)], { timeoutMs });
  renameSync(partial, file);
  return file;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

import { waitFor } from '../helpers/wait-for';
import type { PictureSample } from './dashboard-page';

export type PictureMotion = { id: string; width: number; height: number; distinctFrames: number };

/**
 * Samples the pictures until each of `ids` has shown at least `frames` different drawn frames,
 * and returns what it saw; times out naming the pictures that stayed still. A picture counts as
 * live only when it moves: a stream that stopped leaves its last frame on screen.
 */
export async function waitForMovingPictures(
  sample: () => Promise<PictureSample[]>,
  ids: readonly string[],
  { frames = 3, timeoutMs = 10_000 }: { frames?: number; timeoutMs?: number } = {},
): Promise<PictureMotion[]> {
  const seen = new Map(ids.map((id) => [id, { width: 0, height: 0, hashes: new Set<number>() }]));
  const still = () => [...seen].filter(([, picture]) => picture.hashes.size < frames).map(([id]) => id);
  await waitFor(
    async () => {
      for (const picture of await sample()) {
        const entry = seen.get(picture.id);
        if (!entry || picture.hash === null) continue;
        entry.hashes.add(picture.hash);
        entry.width = picture.width;
        entry.height = picture.height;
      }
      return still().length === 0;
    },
    { timeoutMs, intervalMs: 150, message: `pictures ${ids.join(', ')} to show ${frames} different frames each` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; pictures that did not move: ${still().join(', ')}`);
  });
  return [...seen].map(([id, picture]) => ({
    id,
    width: picture.width,
    height: picture.height,
    distinctFrames: picture.hashes.size,
  }));
}

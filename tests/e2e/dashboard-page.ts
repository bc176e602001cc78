import type { Locator, Page } from 'playwright-core';

/** What the browser currently shows of one camera picture; `hash` is null while no frame is drawn. */
export type PictureSample = { id: string; width: number; height: number; hash: number | null };

/** The grid page `/`: one tile per camera. */
export class GridPage {
  constructor(private readonly page: Page) {}

  get tiles(): Locator {
    return this.page.locator('a[data-camera]');
  }

  tile(id: string): Locator {
    return this.page.locator(`a[data-camera="${id}"]`);
  }

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/`);
  }

  async tileIds(): Promise<string[]> {
    return this.tiles.evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-camera') ?? ''));
  }

  /** The visible text of each tile, in page order (the name, then the badge). */
  async tileTexts(): Promise<string[]> {
    return this.tiles.allInnerTexts();
  }

  async statuses(): Promise<Record<string, string | null>> {
    return statuses(this.page, 'a[data-camera]', 'data-camera');
  }

  async pictures(): Promise<PictureSample[]> {
    return samplePictures(this.page);
  }

  /** The tiles' <video> pictures, hashed as the canvases are. */
  async videos(): Promise<PictureSample[]> {
    return sampleVideos(this.page);
  }

  /** Every tile's picture on whichever path it plays: a canvas that never drew has no hash. */
  async livePictures(): Promise<PictureSample[]> {
    return [...(await samplePictures(this.page)), ...(await sampleVideos(this.page))];
  }

  /** Each tile's `data-live-path` and `data-live-path-reason`. */
  async livePaths(): Promise<Record<string, { path: string | null; reason: string | null }>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('a[data-camera]')].map((tile) => [
          tile.dataset.camera ?? '',
          { path: tile.getAttribute('data-live-path'), reason: tile.getAttribute('data-live-path-reason') },
        ]),
      ),
    );
  }
}

/** The page of one camera, `/cameras/<id>`. */
export class CameraPage {
  constructor(private readonly page: Page) {}

  get main(): Locator {
    return this.page.locator('main[data-camera-page]');
  }

  get heading(): Locator {
    return this.main.locator('h1');
  }

  get badge(): Locator {
    return this.main.locator('[data-status]');
  }

  get fullscreenButton(): Locator {
    return this.main.getByRole('button', { name: /fullscreen/i });
  }

  get backLink(): Locator {
    return this.main.getByRole('link', { name: 'All cameras' });
  }

  async cameraId(): Promise<string | null> {
    return this.main.getAttribute('data-camera-page');
  }

  async pictures(): Promise<PictureSample[]> {
    return samplePictures(this.page);
  }

  /** Whether something is fullscreen, and whether that something holds the camera picture. */
  async fullscreen(): Promise<{ active: boolean; holdsPicture: boolean }> {
    return this.page.evaluate(() => ({
      active: document.fullscreenElement !== null,
      holdsPicture: document.fullscreenElement?.querySelector('[data-picture]') != null,
    }));
  }
}

async function statuses(page: Page, container: string, idAttribute: string): Promise<Record<string, string | null>> {
  return page.evaluate(
    ([container, idAttribute]) =>
      Object.fromEntries(
        [...document.querySelectorAll(container)].map((element) => [
          element.getAttribute(idAttribute) ?? '',
          element.querySelector('[data-status]')?.getAttribute('data-status') ?? null,
        ]),
      ),
    [container, idAttribute] as const,
  );
}

/**
 * Hashes the pixels on every camera picture's canvas, so a test can tell a picture that moves (the
 * test patterns carry a running clock) from one frozen on its last frame.
 */
export async function samplePictures(page: Page): Promise<PictureSample[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-picture]')].map((canvas) => {
      const sample = { id: canvas.dataset.picture ?? '', width: canvas.width, height: canvas.height };
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) return { ...sample, hash: null };
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let hash = 0x811c9dc5;
      let drawn = false;
      for (let i = 0; i < pixels.length; i += 4) {
        // A canvas nothing was drawn on is transparent; a JPEG's pixels are opaque.
        if (pixels[i + 3] !== 0) drawn = true;
        hash ^= pixels[i]! | (pixels[i + 1]! << 8) | (pixels[i + 2]! << 16);
        hash = Math.imul(hash, 0x01000193);
      }
      return { ...sample, hash: drawn ? hash >>> 0 : null };
    }),
  );
}

/**
 * The pictures of every camera <video> (data-video), drawn into a canvas of their own and hashed
 * as samplePictures hashes canvases; `hash` is null while a video has no picture.
 */
export async function sampleVideos(page: Page): Promise<PictureSample[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLVideoElement>('video[data-video]')].map((video) => {
      const sample = { id: video.dataset.video ?? '', width: video.videoWidth, height: video.videoHeight };
      if (video.videoWidth === 0 || video.readyState < 2) return { ...sample, hash: null };
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(video, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let hash = 0x811c9dc5;
      for (let i = 0; i < pixels.length; i += 4) {
        hash ^= pixels[i]! | (pixels[i + 1]! << 8) | (pixels[i + 2]! << 16);
        hash = Math.imul(hash, 0x01000193);
      }
      return { ...sample, hash: hash >>> 0 };
    }),
  );
}

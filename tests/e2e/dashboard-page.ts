import type { Locator, Page } from 'playwright-core';

/** What the browser currently shows of one camera picture; `hash` is null while no frame is decoded. */
export type PictureSample = { id: string; naturalWidth: number; naturalHeight: number; hash: number | null };

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
      holdsPicture: document.fullscreenElement?.querySelector('img[data-picture]') != null,
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
 * Draws every camera picture onto a canvas and hashes its pixels, so a test can tell a picture that
 * moves (the test patterns carry a running clock) from one frozen on its last frame.
 */
export async function samplePictures(page: Page): Promise<PictureSample[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>('img[data-picture]')].map((img) => {
      const sample = { id: img.dataset.picture ?? '', naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight };
      // Between two frames the next blob may still be decoding; such a moment tells nothing.
      if (!img.complete || img.naturalWidth === 0) return { ...sample, hash: null };
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) return { ...sample, hash: null };
      context.drawImage(img, 0, 0);
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

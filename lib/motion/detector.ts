import { BlobFinder, type Blob } from './blobs';
import { anyPerCell, rasterisePolygons } from './polygon-mask';
import { THRESHOLDS, type Thresholds } from './sensitivity';
import { ToneCurve } from './tone-curve';
import { boxesOf, heatmapCells, zonesTouched } from './moving-cells';
import type { FrameVerdict, MotionSettings } from './types';

/** Pixels are compared in 2×2 cells: their mean halves the noise, and a person is many cells wide. */
const CELL = 2;
/** Where nothing moves, the background follows the picture with this time constant. */
const BACKGROUND_SECONDS = 4;
/**
 * Under moving blobs it follows far more slowly: a passer-by, even a slow one, never becomes
 * background (that would leave a ghost behind it), but a car that parks does, in a minute or two.
 */
const MOVING_BACKGROUND_SECONDS = 60;
/** A mean tone shift (grey levels) from which the background is relit before it is updated. */
const RELIGHT_LEVELS = 1.5;
/**
 * While the light changes, the threshold rises by this many grey levels per level of change: the
 * curve is less exact then, most of all where a clipped sky comes back with its gradient (the
 * exposure-ramp scene fires one frame without it), and an encoder may update flat areas late.
 */
const LIGHT_MARGIN = 1;
/** A shift this large within one frame is a light switched, not a person: the frame is set aside. */
const LIGHT_CHANGE_LEVELS = 8;
/** More of the picture than this moving at once is the picture changing (an IR switch), not motion. */
const WHOLE_PICTURE_SHARE = 0.5;
/** Background levels taken as clipped by the camera. */
const CLIPPED_BLACK = 4;
const CLIPPED_WHITE = 251;
/** After a gap in the frames longer than this (a camera restarted), the next frame is the background. */
const MAX_GAP_SECONDS = 2;

/**
 * Finds motion in small grey frames (see README.md for the algorithm and why). Pure (no Node
 * APIs, no clock: time is the frames' `at`), and its buffers are made once, so it runs in a
 * worker thread, in unit tests and in the benchmark alike.
 */
export class MotionDetector {
  private readonly width: number;
  private readonly height: number;
  private readonly cellsWide: number;
  private readonly cellsHigh: number;
  private readonly thresholds: Thresholds;
  /** 1 where the picture is looked at (not masked), per pixel and per cell. */
  private readonly activePixels: Uint8Array;
  private readonly activeCells: Uint8Array;
  private readonly activeCellCount: number;
  /** Each pixel's cell; a trailing odd row or column joins the last cell. */
  private readonly cellOf: Int32Array;
  private readonly pixelsPerCell: Uint8Array;
  private readonly zones: { name: string; cells: Uint8Array }[];
  private readonly minBlobCells: number;
  private readonly background: Float32Array;
  private readonly tone = new ToneCurve();
  private readonly residual: Float32Array;
  private readonly changed: Uint8Array;
  private readonly rowSums: Uint8Array;
  private readonly kept: Uint8Array;
  private readonly moving: Uint8Array;
  private readonly wasMoving: Uint8Array;
  private readonly noiseHistogram = new Uint32Array(NOISE_SLOTS);
  private readonly blobs: BlobFinder;
  /** This frame's blobs large enough to count. */
  private large: Blob[] = [];
  private lastAt: number | null = null;

  constructor(size: { width: number; height: number }, settings: MotionSettings) {
    this.width = size.width;
    this.height = size.height;
    this.cellsWide = Math.floor(size.width / CELL);
    this.cellsHigh = Math.floor(size.height / CELL);
    const cells = this.cellsWide * this.cellsHigh;
    this.thresholds = THRESHOLDS[settings.sensitivity];
    const masked = rasterisePolygons(settings.masks, size.width, size.height);
    this.activePixels = masked.map((m) => 1 - m);
    this.activeCells = anyPerCell(masked, size.width, size.height, CELL).map((m) => 1 - m);
    this.activeCellCount = this.activeCells.reduce((sum, a) => sum + a, 0);
    this.zones = settings.zones.map((zone) => ({
      name: zone.name,
      cells: anyPerCell(rasterisePolygons([zone.polygon], size.width, size.height), size.width, size.height, CELL),
    }));
    // Blob sizes are shares of the whole picture, not of its unmasked part: a person is as big
    // whatever is masked around it.
    this.minBlobCells = Math.max(2, Math.round(this.thresholds.minBlobShare * cells));
    this.cellOf = new Int32Array(size.width * size.height);
    this.pixelsPerCell = new Uint8Array(cells);
    for (let y = 0; y < size.height; y++) {
      for (let x = 0; x < size.width; x++) {
        const c = Math.min(this.cellsHigh - 1, Math.floor(y / CELL)) * this.cellsWide + Math.min(this.cellsWide - 1, Math.floor(x / CELL));
        this.cellOf[y * size.width + x] = c;
        this.pixelsPerCell[c]!++;
      }
    }
    this.background = new Float32Array(size.width * size.height);
    this.residual = new Float32Array(cells);
    this.changed = new Uint8Array(cells);
    this.rowSums = new Uint8Array(cells);
    this.kept = new Uint8Array(cells);
    this.moving = new Uint8Array(cells);
    this.wasMoving = new Uint8Array(cells);
    this.blobs = new BlobFinder(this.cellsWide, this.cellsHigh);
  }

  /** Forgets the background, e.g. after the camera restarted: the next frame becomes it. */
  reset(): void {
    this.lastAt = null;
  }

  detect(grey: Uint8Array, at: number): FrameVerdict {
    if (grey.length !== this.width * this.height) {
      throw new Error(`motion: a frame of ${grey.length} bytes, expected ${this.width}×${this.height} = ${this.width * this.height}`);
    }
    if (this.lastAt === null || at - this.lastAt > MAX_GAP_SECONDS * 1000) {
      this.background.set(grey);
      this.moving.fill(0);
      this.lastAt = at;
      return still(at);
    }
    const seconds = Math.max(0, at - this.lastAt) / 1000;
    this.lastAt = at;

    this.tone.fit(this.background, grey, this.activePixels);
    this.measureResidual(grey);
    const threshold = Math.max(this.thresholds.minDifference, this.thresholds.noiseFactor * this.noiseSigma()) + LIGHT_MARGIN * this.tone.change;

    this.wasMoving.set(this.moving);
    this.findChangedCells(threshold);
    const area = this.keepLargeBlobs();
    if (this.tone.change >= LIGHT_CHANGE_LEVELS || area > WHOLE_PICTURE_SHARE * this.activeCellCount) {
      this.takeAsBackground(grey);
      return { ...still(at), lightChange: true };
    }
    this.updateBackground(grey, seconds);
    if (area === 0) return still(at);
    return {
      at,
      motion: true,
      score: area / Math.max(1, this.activeCellCount),
      boxes: boxesOf(this.large, CELL, this.width, this.height),
      zones: zonesTouched(this.moving, this.zones),
      cells: heatmapCells(this.moving, this.cellOf, this.width, this.height),
    };
  }

  /**
   * The mean difference between each cell of the frame and of the background seen through the tone
   * curve. A background pixel clipped at white says only "at least this bright": under a darker
   * light it may show any detail the clipping hid (a sky's gradient) down to what the curve makes
   * of white, so only a frame darker than that counts; and the same, upside down, for black.
   */
  private measureResidual(grey: Uint8Array): void {
    const { background, residual, tone, cellOf, pixelsPerCell } = this;
    const lut = tone.lut;
    residual.fill(0);
    for (let i = 0; i < grey.length; i++) {
      const level = (background[i]! + 0.5) | 0;
      let difference = grey[i]! - lut[level]!;
      if (level >= CLIPPED_WHITE && difference > 0) difference = 0;
      else if (level <= CLIPPED_BLACK && difference < 0) difference = 0;
      residual[cellOf[i]!]! += difference;
    }
    for (let c = 0; c < residual.length; c++) residual[c]! /= pixelsPerCell[c]!;
  }

  /**
   * The picture's noise now: the median absolute residual of the unmasked cells, as a standard
   * deviation. Measured on every frame, so a switch to a noisy night picture raises the threshold
   * on the very frame it happens; the median ignores whatever moves in less than half the picture.
   */
  private noiseSigma(): number {
    const { residual, activeCells, noiseHistogram } = this;
    noiseHistogram.fill(0);
    let count = 0;
    for (let c = 0; c < residual.length; c++) {
      if (activeCells[c] === 0) continue;
      const slot = Math.min(NOISE_SLOTS - 1, (Math.abs(residual[c]!) * NOISE_SLOTS_PER_LEVEL) | 0);
      noiseHistogram[slot]!++;
      count++;
    }
    let below = 0;
    for (let slot = 0; slot < NOISE_SLOTS; slot++) {
      below += noiseHistogram[slot]!;
      if (below * 2 >= count) return ((slot + 0.5) / NOISE_SLOTS_PER_LEVEL) * 1.4826;
    }
    return NOISE_SLOTS / NOISE_SLOTS_PER_LEVEL;
  }

  /**
   * Cells beyond the threshold, then kept only where most of their 3×3 neighbourhood changed too:
   * noise changes cells one by one, a person changes them side by side.
   */
  private findChangedCells(threshold: number): void {
    const { residual, activeCells, changed, rowSums, kept, cellsWide, cellsHigh } = this;
    for (let c = 0; c < residual.length; c++) changed[c] = activeCells[c] !== 0 && Math.abs(residual[c]!) > threshold ? 1 : 0;
    for (let y = 0; y < cellsHigh; y++) {
      const row = y * cellsWide;
      for (let x = 0; x < cellsWide; x++) {
        rowSums[row + x] = changed[row + x]! + (x > 0 ? changed[row + x - 1]! : 0) + (x < cellsWide - 1 ? changed[row + x + 1]! : 0);
      }
    }
    for (let y = 0; y < cellsHigh; y++) {
      const row = y * cellsWide;
      for (let x = 0; x < cellsWide; x++) {
        const c = row + x;
        const around = rowSums[c]! + (y > 0 ? rowSums[c - cellsWide]! : 0) + (y < cellsHigh - 1 ? rowSums[c + cellsWide]! : 0);
        kept[c] = around >= 5 && activeCells[c] !== 0 ? 1 : 0;
      }
    }
  }

  /** Marks the cells of blobs large enough to count in `moving`; returns how many cells that is. */
  private keepLargeBlobs(): number {
    const { moving, minBlobCells } = this;
    const blobs = this.blobs.find(this.kept);
    this.large = blobs.filter((blob) => blob.area >= minBlobCells);
    moving.fill(0);
    if (this.large.length === 0) return 0;
    const labels = this.blobs.labels;
    const large = new Uint8Array(blobs.length + 1);
    for (const blob of this.large) large[blob.label] = 1;
    let area = 0;
    for (let c = 0; c < moving.length; c++) {
      if (large[labels[c]!]) {
        moving[c] = 1;
        area++;
      }
    }
    return area;
  }

  /**
   * After a light change or a change of the whole picture: the new picture becomes the background,
   * except around what was moving the frame before, which is only relit there, so a person walking
   * while the light goes on is still seen, not burnt into the background as a ghost.
   */
  private takeAsBackground(grey: Uint8Array): void {
    const { background, wasMoving, moving, cellsWide, cellsHigh, tone, cellOf } = this;
    dilate(wasMoving, moving, cellsWide, cellsHigh, 2);
    for (let i = 0; i < grey.length; i++) background[i] = moving[cellOf[i]!] ? tone.lut[(background[i]! + 0.5) | 0]! : grey[i]!;
    moving.set(wasMoving);
  }

  /**
   * Moves the background towards the frame. While the light changes it is first relit by this
   * frame's tone curve, so that the next frame's curve is near "no change". A clipped background
   * pixel says only "at least white": relit, it would be a guess (a sky coming out of clipping
   * shows a gradient), so it takes the frame's value instead, unless something moves over it.
   */
  private updateBackground(grey: Uint8Array, seconds: number): void {
    const { background, moving, cellOf } = this;
    const lut = this.tone.change >= RELIGHT_LEVELS ? this.tone.lut : null;
    const rate = 1 - Math.exp(-seconds / BACKGROUND_SECONDS);
    const slowRate = 1 - Math.exp(-seconds / MOVING_BACKGROUND_SECONDS);
    for (let i = 0; i < grey.length; i++) {
      const isMoving = moving[cellOf[i]!] !== 0;
      if (lut) {
        const level = (background[i]! + 0.5) | 0;
        const clipped = level <= CLIPPED_BLACK || level >= CLIPPED_WHITE;
        background[i] = clipped && !isMoving ? grey[i]! : lut[level]!;
      }
      background[i]! += (isMoving ? slowRate : rate) * (grey[i]! - background[i]!);
    }
  }
}

/** Residual magnitudes are binned by quarter grey levels up to 64 levels for the noise median. */
const NOISE_SLOTS_PER_LEVEL = 4;
const NOISE_SLOTS = 64 * NOISE_SLOTS_PER_LEVEL;

function still(at: number): FrameVerdict {
  return { at, motion: false, score: 0, boxes: [], zones: [] };
}

/** Sets each cell of `out` that is within `radius` cells of a set cell of `cells`. */
function dilate(cells: Uint8Array, out: Uint8Array, cellsWide: number, cellsHigh: number, radius: number): void {
  out.fill(0);
  for (let cy = 0; cy < cellsHigh; cy++) {
    for (let cx = 0; cx < cellsWide; cx++) {
      if (!cells[cy * cellsWide + cx]) continue;
      for (let y = Math.max(0, cy - radius); y <= Math.min(cellsHigh - 1, cy + radius); y++) {
        for (let x = Math.max(0, cx - radius); x <= Math.min(cellsWide - 1, cx + radius); x++) out[y * cellsWide + x] = 1;
      }
    }
  }
}

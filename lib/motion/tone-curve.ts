/**
 * How the whole picture's brightness changed between the background and a frame, as a monotone
 * curve: "a background pixel of level v now looks like lut[v]". Lights switched on, auto exposure,
 * a day/night switch's contrast and clipping at white all change the picture this way, every pixel
 * by the same rule, while a person changes only the pixels it covers. So the curve is fitted by
 * medians (a person is a minority at every level) and the detector compares the frame with the
 * background seen through it: light changes cancel out, people do not.
 *
 * The median per band of background levels rather than one gain and offset for the whole frame:
 * clipping at white and gamma-like exposure curves are not straight lines, and one line fitted
 * through them leaves whole bands of the picture "changed". But a band with few pixels can be
 * mostly a person (a dark coat is most of the darkest pixels), so each band must also agree with
 * a line fitted through all of them, weighted by their pixels; one that does not is left out and
 * bridged from its neighbours.
 */

const BANDS = 16;
const BAND_WIDTH = 256 / BANDS;
/** Differences frame − background run from −255 to 255. */
const SPAN = 511;
/** How far (grey levels) a band's median may stray from the line through all bands and still count. */
const BAND_TOLERANCE = 12;
/** Frame levels a band's median must stay within to tell the line's gain (the camera clips beyond). */
const CLIPPED_LOW = 5;
const CLIPPED_HIGH = 250;

export class ToneCurve {
  /** Expected frame level for each background level (0–255), for this frame. */
  readonly lut = new Float32Array(256);
  /** Mean absolute shift the curve applies to the sampled pixels (grey levels): how much the light changed. */
  change = 0;
  private readonly histogram = new Uint32Array(BANDS * SPAN);
  private readonly counts = new Uint32Array(BANDS);
  private readonly shift = new Float32Array(BANDS);
  private readonly valid = new Uint8Array(BANDS);
  /** Each band's mean background level: where its median difference applies (a band is not evenly filled). */
  private readonly centres = new Float32Array(BANDS);
  private readonly levelSums = new Float64Array(BANDS);
  /** The line through the bands, frame level = gain × background level + offset. */
  private gain = 1;
  private offset = 0;

  constructor() {
    for (let v = 0; v < 256; v++) this.lut[v] = v;
  }

  /**
   * Fits the curve from every `step`-th active pixel (every second pixel is plenty at 160×90 and
   * halves the cost). `background` holds levels 0–255 as floats, `active` is 1 where to look.
   */
  fit(background: Float32Array, frame: Uint8Array, active: Uint8Array, step = 2): void {
    const { histogram, counts, levelSums } = this;
    histogram.fill(0);
    counts.fill(0);
    levelSums.fill(0);
    let samples = 0;
    for (let i = 0; i < frame.length; i += step) {
      if (active[i] === 0) continue;
      const level = (background[i]! + 0.5) | 0;
      const band = (level / BAND_WIDTH) | 0;
      histogram[band * SPAN + (frame[i]! - level + 255)]!++;
      counts[band]!++;
      levelSums[band]! += level;
      samples++;
    }
    this.solveBands(Math.max(12, samples * 0.004));
    this.rejectStrayBands();
    this.fillLut();
  }

  /** The median difference per band, interpolated within the histogram slot for sub-level precision. */
  private solveBands(minCount: number): void {
    const { histogram, counts, shift, valid, centres, levelSums } = this;
    for (let band = 0; band < BANDS; band++) {
      const count = counts[band]!;
      valid[band] = count >= minCount ? 1 : 0;
      if (!valid[band]) continue;
      centres[band] = levelSums[band]! / count;
      const half = count / 2;
      const row = band * SPAN;
      let below = 0;
      let slot = 0;
      for (; slot < SPAN; slot++) {
        const here = histogram[row + slot]!;
        if (below + here >= half) {
          shift[band] = slot - 255 + (half - below) / here - 0.5;
          break;
        }
        below += here;
      }
    }
  }

  /**
   * Fits the line, then again without the bands far from it, then drops the bands still far from
   * it. The change is measured on the bands that remain.
   */
  private rejectStrayBands(): void {
    const { counts, shift, valid } = this;
    const fit = (tolerance: number) => {
      let w = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (let band = 0; band < BANDS; band++) {
        if (!valid[band]) continue;
        const x = this.centres[band]!;
        const y = x + shift[band]!;
        // A clipped band lies on any line that passes above it: it says nothing of gain.
        if (y >= CLIPPED_HIGH || y <= CLIPPED_LOW) continue;
        if (Math.abs(y - (this.gain * x + this.offset)) > tolerance) continue;
        const n = counts[band]!;
        w += n; sx += n * x; sy += n * y; sxx += n * x * x; sxy += n * x * y;
      }
      if (w === 0) return;
      const spread = sxx - (sx * sx) / w;
      // One band alone (a flat picture) says nothing about gain: take it as an offset.
      this.gain = spread > w * 4 ? Math.min(4, Math.max(0.25, (sxy - (sx * sy) / w) / spread)) : 1;
      this.offset = (sy - this.gain * sx) / w;
    };
    this.gain = 1;
    this.offset = 0;
    // Tolerance tightened step by step: clipped bands pull the first line far off, so a single
    // refit would throw good bands out with them.
    for (const tolerance of [Infinity, 8 * BAND_TOLERANCE, 4 * BAND_TOLERANCE, 2 * BAND_TOLERANCE, BAND_TOLERANCE]) fit(tolerance);
    let weighted = 0;
    let total = 0;
    for (let band = 0; band < BANDS; band++) {
      if (!valid[band]) continue;
      const x = this.centres[band]!;
      const y = x + shift[band]!;
      const line = this.gain * x + this.offset;
      const agrees = y >= CLIPPED_HIGH ? line > y - BAND_TOLERANCE : y <= CLIPPED_LOW ? line < y + BAND_TOLERANCE : Math.abs(y - line) <= BAND_TOLERANCE;
      if (!agrees) {
        valid[band] = 0;
        continue;
      }
      weighted += counts[band]! * Math.abs(shift[band]!);
      total += counts[band]!;
    }
    this.change = total > 0 ? weighted / total : 0;
  }

  /**
   * Bands left out take their value from their neighbours (a picture has no pixels at some
   * levels); beyond the outermost bands the curve goes on with the line's gain. It is kept
   * monotone, since no light change makes a darker pixel brighter than a brighter one, and clamped
   * to 0–255 as the camera clamps.
   */
  private fillLut(): void {
    const { shift, valid, lut } = this;
    const centres: number[] = [];
    const values: number[] = [];
    for (let band = 0; band < BANDS; band++) {
      if (!valid[band]) continue;
      const x = this.centres[band]!;
      const value = Math.max(x + shift[band]!, values.length > 0 ? values[values.length - 1]! : -Infinity);
      centres.push(x);
      values.push(value);
    }
    if (centres.length === 0) {
      for (let v = 0; v < 256; v++) lut[v] = v;
      return;
    }
    let k = 0;
    for (let v = 0; v < 256; v++) {
      while (k < centres.length - 1 && v > centres[k + 1]!) k++;
      let out: number;
      if (v <= centres[0]!) out = values[0]! + this.gain * (v - centres[0]!);
      else if (k >= centres.length - 1) out = values[k]! + this.gain * (v - centres[k]!);
      else {
        const t = (v - centres[k]!) / (centres[k + 1]! - centres[k]!);
        out = values[k]! + t * (values[k + 1]! - values[k]!);
      }
      lut[v] = out < 0 ? 0 : out > 255 ? 255 : out;
    }
  }
}

/**
 * Reads ffmpeg's fragmented MP4 (`-movflags +frag_every_frame+empty_moov+default_base_moof`) as
 * it arrives: an init segment whenever a moov comes (the first, or a new stream's), then one
 * media fragment per moof+mdat pair. Pure: no IO, no timers, no Node APIs.
 *
 * Boxes that play no part in that (styp, sidx, free, skip, mfra, prft, emsg, udta, uuid…) are
 * skipped and counted. A stream that breaks the order (a fragment before any moov, a moof
 * without its mdat, an mdat without its moof) or holds a box it cannot read is abandoned as the
 * splitter abandons a bad size: push throws an Fmp4Error, and throws it again until reset().
 */
import { BoxSplitter, DEFAULT_MAX_BOX_BYTES, type Box } from './box-splitter';
import { Fmp4Error } from './fmp4-error';
import { parseInitSegment, type InitSegment } from './init-segment';
import { parseMediaFragment, type MediaFragment } from './media-fragment';

export type Fmp4Event = { kind: 'init'; init: InitSegment } | { kind: 'fragment'; fragment: MediaFragment };

export type Fmp4ReaderStats = {
  /** Top-level boxes that are neither ftyp, moov, moof nor mdat. */
  skippedBoxes: number;
  /** Fragments without a traf of the video track (another track's). */
  otherTrackFragments: number;
};

export class Fmp4Reader {
  private splitter: BoxSplitter;
  private ftyp: Uint8Array | undefined;
  private current: InitSegment | undefined;
  private moof: Uint8Array | undefined;
  private failure: unknown;
  readonly stats: Fmp4ReaderStats = { skippedBoxes: 0, otherTrackFragments: 0 };

  constructor(private readonly maxBoxBytes = DEFAULT_MAX_BOX_BYTES) {
    this.splitter = new BoxSplitter(maxBoxBytes);
  }

  /** Feeds a chunk; returns the inits and fragments it completed, in stream order. */
  push(chunk: Uint8Array): Fmp4Event[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      const events: Fmp4Event[] = [];
      for (const box of this.splitter.push(chunk)) {
        const event = this.take(box);
        if (event) events.push(event);
      }
      return events;
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  /** The init segment fragments are currently read against: the last moov's. */
  get init(): InitSegment | undefined {
    return this.current;
  }

  /** Bytes held of a box not yet complete, or of a moof awaiting its mdat. */
  get bufferedBytes(): number {
    return this.splitter.bufferedBytes + (this.moof?.length ?? 0);
  }

  /** Forgets everything, failure included, for a new stream. */
  reset(): void {
    this.splitter = new BoxSplitter(this.maxBoxBytes);
    this.ftyp = undefined;
    this.current = undefined;
    this.moof = undefined;
    this.failure = undefined;
  }

  private take(box: Box): Fmp4Event | undefined {
    switch (box.type) {
      case 'ftyp':
        this.expectNoMoof(box.type);
        this.ftyp = box.bytes;
        return undefined;
      case 'moov':
        this.expectNoMoof(box.type);
        this.current = parseInitSegment(this.ftyp, box.bytes);
        return { kind: 'init', init: this.current };
      case 'moof':
        this.expectNoMoof(box.type);
        if (!this.current) throw new Fmp4Error('a moof came before any moov: the stream has no init segment');
        this.moof = box.bytes;
        return undefined;
      case 'mdat':
        return this.fragmentOf(box.bytes);
      default:
        this.stats.skippedBoxes += 1;
        return undefined;
    }
  }

  private fragmentOf(mdat: Uint8Array): Fmp4Event | undefined {
    if (!this.moof || !this.current) throw new Fmp4Error('an mdat came without a moof before it: not a fragmented MP4');
    const fragment = parseMediaFragment(this.moof, mdat, this.current);
    this.moof = undefined;
    if (!fragment) {
      this.stats.otherTrackFragments += 1;
      return undefined;
    }
    return { kind: 'fragment', fragment };
  }

  private expectNoMoof(next: string): void {
    if (this.moof) throw new Fmp4Error(`a '${next}' came where the mdat of the moof before it should be`);
  }
}

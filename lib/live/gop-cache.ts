import type { InitSegment } from '../fmp4/init-segment';
import type { MediaFragment } from '../fmp4/media-fragment';

/** A GOP longer than this (a camera with a 20 s keyframe interval at 30 fps) is not kept whole. */
export const MAX_CACHED_FRAGMENTS = 600;
export const MAX_CACHED_BYTES = 16 * 1024 * 1024;

/**
 * What a viewer joining a running camera needs to show a picture at once: the init segment and
 * every fragment since the last keyframe. Without it a new viewer waits for the next keyframe,
 * seconds with a typical camera (go2rtc's and Frigate's new viewers do). Pure.
 */
export class GopCache {
  private initSegment: InitSegment | undefined;
  private fragments: MediaFragment[] = [];
  private bytes = 0;

  /** A new stream: what came before belongs to another init. */
  setInit(init: InitSegment): void {
    this.initSegment = init;
    this.clearFragments();
  }

  add(fragment: MediaFragment): void {
    if (fragment.keyframe) this.clearFragments();
    // Without its keyframe a GOP cannot be decoded: wait for the next one.
    else if (this.fragments.length === 0) return;
    this.fragments.push(fragment);
    this.bytes += fragment.bytes.length;
    if (this.fragments.length > MAX_CACHED_FRAGMENTS || this.bytes > MAX_CACHED_BYTES) this.clearFragments();
  }

  /** The stream has ended: nothing of it is worth showing a new viewer. */
  clear(): void {
    this.initSegment = undefined;
    this.clearFragments();
  }

  get init(): InitSegment | undefined {
    return this.initSegment;
  }

  /** The fragments since the last keyframe, oldest first (the keyframe's first). */
  get sinceKeyframe(): readonly MediaFragment[] {
    return this.fragments;
  }

  private clearFragments(): void {
    this.fragments = [];
    this.bytes = 0;
  }
}

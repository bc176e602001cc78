import { HEATMAP, type FrameVerdict, type TrackedEvent } from './types';

export type TrackerOptions = {
  /** An event ends once this long has passed without a motion frame. */
  endAfterSeconds: number;
  /** An event starts once `startFrames` of the last `windowFrames` frames showed motion. */
  startFrames?: number;
  windowFrames?: number;
};

/**
 * What happened to the camera's event: it started, it changed (a zone touched for the first time,
 * or a new peak: the moment for the wiring to take the event's snapshot), or it ended. Each item's
 * event is a copy the receiver may keep.
 */
export type TrackerItem = { kind: 'start' | 'update' | 'end'; event: TrackedEvent };

/** A new peak is reported once it passes the last reported one by this factor: snapshots follow the peak without one per frame. */
const PEAK_STEP = 1.05;
/** Frames further apart than this do not make a start window together (the camera stalled between them). */
const MAX_FRAME_GAP_MS = 3000;

/**
 * Turns one camera's frame verdicts into events. Pure: time is the verdicts' `at`, so the unit
 * tests drive it frame by frame. An event starts at its first motion frame once most of a few
 * consecutive frames moved (one noisy frame, a raindrop, an insect, is not an event), and ends at
 * its last motion frame once `endAfterSeconds` passed without another.
 */
export class EventTracker {
  private readonly endAfterMs: number;
  private readonly startFrames: number;
  private readonly windowFrames: number;
  /** The last few frames while no event goes on: whether each moved, when, and what it saw. */
  private window: FrameVerdict[] = [];
  private event: Live | null = null;

  constructor(options: TrackerOptions) {
    this.endAfterMs = options.endAfterSeconds * 1000;
    this.startFrames = options.startFrames ?? 3;
    this.windowFrames = options.windowFrames ?? 4;
  }

  /** The event going on, if any (a copy). */
  get current(): TrackedEvent | null {
    return this.event ? snapshot(this.event, null) : null;
  }

  feed(verdict: FrameVerdict): TrackerItem[] {
    const items = this.tick(verdict.at);
    // A light change tells nothing about motion: it neither starts, extends nor ends an event.
    if (verdict.lightChange) return items;
    if (this.event) {
      if (verdict.motion) items.push(...this.extend(this.event, verdict));
      return items;
    }
    const last = this.window[this.window.length - 1];
    if (last && verdict.at - last.at > MAX_FRAME_GAP_MS) this.window = [];
    this.window.push(verdict);
    if (this.window.length > this.windowFrames) this.window.shift();
    const moved = this.window.filter((v) => v.motion);
    if (moved.length < this.startFrames) return items;
    const event = begin(moved[0]!);
    for (const v of moved.slice(1)) this.extend(event, v);
    event.reportedPeak = event.peak;
    event.reportedZones = event.zones.size;
    this.event = event;
    this.window = [];
    items.push({ kind: 'start', event: snapshot(event, null) });
    return items;
  }

  /** Ends the event if `endAfterSeconds` have passed since its last motion, frames or not. */
  tick(now: number): TrackerItem[] {
    if (!this.event || now - this.event.lastMotionAt < this.endAfterMs) return [];
    return this.end(now);
  }

  /**
   * Ends the event now (the camera went down, the detector was reconfigured): at its last motion
   * frame, as it would have ended anyway, not at the moment the camera failed.
   */
  end(at: number): TrackerItem[] {
    this.window = [];
    const event = this.event;
    if (!event) return [];
    this.event = null;
    return [{ kind: 'end', event: snapshot(event, Math.min(event.lastMotionAt, at)) }];
  }

  private extend(event: Live, verdict: FrameVerdict): TrackerItem[] {
    event.lastMotionAt = verdict.at;
    if (verdict.score > event.peak) {
      event.peak = verdict.score;
      event.peakAt = verdict.at;
    }
    for (const zone of verdict.zones) event.zones.add(zone);
    if (verdict.cells) for (let c = 0; c < event.heat.length; c++) event.heat[c]! += verdict.cells[c] ?? 0;
    const newZone = event.zones.size > event.reportedZones;
    const newPeak = event.peak > event.reportedPeak * PEAK_STEP;
    if (!newZone && !newPeak) return [];
    event.reportedZones = event.zones.size;
    if (newPeak) event.reportedPeak = event.peak;
    return [{ kind: 'update', event: snapshot(event, null) }];
  }
}

type Live = {
  startedAt: number;
  lastMotionAt: number;
  zones: Set<string>;
  peak: number;
  peakAt: number;
  heat: Uint32Array;
  reportedPeak: number;
  reportedZones: number;
};

function begin(first: FrameVerdict): Live {
  return {
    startedAt: first.at,
    lastMotionAt: first.at,
    zones: new Set(first.zones),
    peak: first.score,
    peakAt: first.at,
    heat: first.cells ? Uint32Array.from(first.cells) : new Uint32Array(HEATMAP.width * HEATMAP.height),
    reportedPeak: 0,
    reportedZones: 0,
  };
}

function snapshot(event: Live, endedAt: number | null): TrackedEvent {
  let most = 0;
  for (const h of event.heat) if (h > most) most = h;
  const heatmap = new Uint8Array(event.heat.length);
  if (most > 0) for (let c = 0; c < heatmap.length; c++) heatmap[c] = Math.round((event.heat[c]! * 255) / most);
  return { startedAt: event.startedAt, endedAt, zones: [...event.zones].sort(), peak: event.peak, peakAt: event.peakAt, heatmap };
}

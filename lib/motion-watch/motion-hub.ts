import type { Box, FrameVerdict } from '../motion/types';

/** What the live view shows of a camera's motion: whether an event goes on, and what moves now. */
export type MotionState = {
  camera: string;
  /** An event goes on (from `since`). */
  active: boolean;
  since: number | null;
  /** This frame moved (boxes around what did), even between events. */
  moving: boolean;
  score: number;
  boxes: Box[];
  at: number;
};

type Listener = (state: MotionState) => void;

/**
 * The live motion state of every camera, for the one motion stream each page opens
 * (GET /api/motion/stream). A still scene says so once; while something moves every verdict is
 * passed on (the detector's 5 a second), so that boxes follow what moves.
 */
export class MotionHub {
  private readonly states = new Map<string, MotionState>();
  private readonly listeners = new Set<Listener>();

  verdict(camera: string, verdict: FrameVerdict): void {
    const previous = this.states.get(camera);
    const next: MotionState = { camera, active: previous?.active ?? false, since: previous?.since ?? null, moving: verdict.motion, score: verdict.score, boxes: verdict.motion ? verdict.boxes : [], at: verdict.at };
    this.set(next, previous === undefined || next.moving || previous.moving);
  }

  eventStarted(camera: string, since: number): void {
    this.set({ ...this.current(camera), active: true, since }, true);
  }

  eventEnded(camera: string, at: number): void {
    this.set({ ...this.current(camera), active: false, since: null, moving: false, boxes: [], at }, true);
  }

  /** The camera's detection stopped (removed from cameras.json, or its motion turned off). */
  forget(camera: string): void {
    if (!this.states.delete(camera)) return;
    this.emit({ camera, active: false, since: null, moving: false, score: 0, boxes: [], at: Date.now() });
  }

  all(): MotionState[] {
    return [...this.states.values()];
  }

  get(camera: string): MotionState | undefined {
    return this.states.get(camera);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private current(camera: string): MotionState {
    return this.states.get(camera) ?? { camera, active: false, since: null, moving: false, score: 0, boxes: [], at: Date.now() };
  }

  private set(state: MotionState, news: boolean): void {
    this.states.set(state.camera, state);
    if (news) this.emit(state);
  }

  private emit(state: MotionState): void {
    for (const listener of this.listeners) listener(state);
  }
}

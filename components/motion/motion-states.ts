import type { MotionState } from '@/lib/motion-watch/motion-hub';

export type { MotionState };

type Listener = () => void;

/**
 * The page's one motion stream (GET /api/motion/stream), shared by every tile: each tile listens to
 * its own camera only, so a moving camera re-renders its tile and no other. EventSource reconnects
 * by itself after a drop; the server then sends every camera's state again.
 */
export class MotionStates {
  private readonly states = new Map<string, MotionState>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private source: EventSource | undefined;
  private users = 0;

  /** Opens the stream for the first user, closes it after the last. */
  use(): () => void {
    this.users += 1;
    if (!this.source) {
      this.source = new EventSource('/api/motion/stream');
      this.source.addEventListener('motion', (event) => this.receive(JSON.parse((event as MessageEvent<string>).data) as MotionState));
    }
    return () => {
      this.users -= 1;
      if (this.users > 0) return;
      this.source?.close();
      this.source = undefined;
    };
  }

  get(camera: string): MotionState | undefined {
    return this.states.get(camera);
  }

  listen(camera: string, listener: Listener): () => void {
    let set = this.listeners.get(camera);
    if (!set) this.listeners.set(camera, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private receive(state: MotionState): void {
    this.states.set(state.camera, state);
    for (const listener of this.listeners.get(state.camera) ?? []) listener();
  }
}

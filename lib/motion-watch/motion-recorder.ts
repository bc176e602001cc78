import type { TrackerItem } from '../motion/event-tracker';
import type { FrameVerdict, TrackedEvent } from '../motion/types';
import type { MotionHub } from './motion-hub';
import type { MotionListener } from './motion-watch';

/** What the recorder needs of the event store (lib/events/event-store.ts). */
export type EventSink = {
  begin(camera: string, event: TrackedEvent): number;
  update(id: number, event: TrackedEvent): void;
  setSnapshot(id: number, jpeg: Uint8Array): void;
};

/** Seconds between two writes of a going event's changes: its start and end are written at once. */
const UPDATE_EVERY_MS = 2_000;

/**
 * Where every camera's motion goes: the live state to the hub (the motion stream of the pages),
 * events and their pictures to the store, counts to the metrics. A store that fails (a full disk)
 * is logged and costs the event, never the camera's detection.
 */
export class MotionRecorder implements MotionListener {
  private readonly open = new Map<string, { id: number | undefined; writtenAt: number }>();
  readonly eventsTotal = new Map<string, number>();

  constructor(
    private readonly hub: MotionHub,
    private readonly sink: () => EventSink | undefined,
    private readonly onError: (message: string, camera: string) => void,
  ) {}

  verdict(camera: string, verdict: FrameVerdict): void {
    this.hub.verdict(camera, verdict);
  }

  event(camera: string, { kind, event }: TrackerItem): void {
    if (kind === 'start') {
      this.eventsTotal.set(camera, (this.eventsTotal.get(camera) ?? 0) + 1);
      this.hub.eventStarted(camera, event.startedAt);
      this.open.set(camera, { id: this.store(camera, (sink) => sink.begin(camera, event)), writtenAt: Date.now() });
      return;
    }
    const current = this.open.get(camera);
    if (kind === 'end') {
      this.hub.eventEnded(camera, event.endedAt ?? Date.now());
      this.open.delete(camera);
    } else if (!current || Date.now() - current.writtenAt < UPDATE_EVERY_MS) {
      return;
    }
    if (current?.id === undefined) return;
    current.writtenAt = Date.now();
    const id = current.id;
    this.store(camera, (sink) => sink.update(id, event));
  }

  picture(camera: string, _event: TrackedEvent, jpeg: Buffer): void {
    const id = this.open.get(camera)?.id;
    if (id !== undefined) this.store(camera, (sink) => sink.setSnapshot(id, jpeg));
  }

  stopped(camera: string): void {
    this.open.delete(camera);
    this.hub.forget(camera);
  }

  private store<T>(camera: string, write: (sink: EventSink) => T): T | undefined {
    const sink = this.sink();
    if (!sink) return undefined;
    try {
      return write(sink);
    } catch (error) {
      this.onError(`camera ${camera}: motion event not saved: ${(error as Error).message}`, camera);
      return undefined;
    }
  }
}

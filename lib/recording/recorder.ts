import path from 'node:path';
import type { LiveItem } from '../live/live-feed';
import type { LiveSource } from '../live/live-source';
import type { RecordSettings } from '../config/record-schema';
import { SegmentPlan, type OpenSegment } from './segment-plan';
import { SegmentWriter, type SegmentWriterOptions, type WriterFailure } from './segment-writer';
import { segmentPath, type NewSegment, type RecordingStatus } from './types';

/** What the recorder needs of the index (lib/recording/segment-index.ts). */
export type SegmentIndexWriter = {
  begin(segment: NewSegment): number;
  /** `startedAt`: the segment's start as the plan knows it now (it moves back when its keyframe came late). */
  extend(id: number, endedAt: number, bytes: number, startedAt?: number): void;
  finish(id: number, endedAt: number, bytes: number, startedAt?: number): void;
};

/** Whether the disk may take a new segment now, and the news of a write that failed for want of room. */
export type DiskGate = {
  /** Why recording is paused; undefined when it may go on. */
  pausedReason(): string | undefined;
  writeFailed(failure: WriterFailure): void;
};

export type RecorderDeps = {
  index: SegmentIndexWriter;
  disk: DiskGate;
  /** The recordings directory. */
  dir: string;
  segmentSeconds: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  writer?: SegmentWriterOptions;
};

/** The index learns a segment's end this often while it is written; reconciling after a crash finds the rest. */
const EXTEND_EVERY_MS = 2_000;

type Writing = { id: number; relative: string; writer: SegmentWriter; segment: OpenSegment; extendedAt: number };

/**
 * One consumer of a camera's connection: copies its video, as it comes, into segment files (no
 * decode, no encode) and keeps the index up to date. It holds the connection while it runs, so a
 * recorded camera runs with nobody watching. It never waits on the disk: a slow disk costs the
 * recording frames (the segment is cut, the next starts at a keyframe once the queue has drained),
 * a full one pauses the recording until there is room; live viewers see neither.
 */
export class Recorder {
  private readonly plan: SegmentPlan;
  private feed: ReturnType<LiveSource['subscribe']> | undefined;
  private writing: Writing | undefined;
  private readonly closing = new Set<Promise<void>>();
  private reason: string | undefined = 'waiting for the camera';
  private dropped = 0;
  private bytes = 0;
  private running: Promise<void> | undefined;

  constructor(
    readonly cameraId: string,
    private readonly live: LiveSource,
    private readonly settings: RecordSettings,
    private readonly deps: RecorderDeps,
  ) {
    this.plan = new SegmentPlan(deps.segmentSeconds * 1000);
  }

  start(): void {
    if (this.feed) return;
    const feed = this.live.subscribe();
    this.feed = feed;
    // What a running connection hands a new consumer at once is the past GOP, stamped with the
    // time of subscribing: its clock cannot be known, so only its init is kept.
    for (let item = feed.take(); item; item = feed.take()) if (item.kind === 'init') this.plan.newInit(item.init);
    this.running = this.consume(feed);
  }

  /** Ends the segment being written (flushed, indexed) and lets go of the camera. */
  async stop(): Promise<void> {
    const feed = this.feed;
    if (!feed) return;
    this.feed = undefined;
    this.live.unsubscribe(feed);
    await this.running;
    this.finish(this.plan.end());
    await Promise.all(this.closing);
    this.reason = 'stopped';
  }

  /** The file being written, relative to the recordings directory: retention must leave it alone. */
  get writingPath(): string | undefined {
    return this.writing?.relative;
  }

  status(): RecordingStatus {
    return { mode: this.settings.mode, active: this.writing !== undefined, reason: this.writing ? undefined : this.reason, droppedFragments: this.dropped, bytesWritten: this.bytes };
  }

  private async consume(feed: ReturnType<LiveSource['subscribe']>): Promise<void> {
    for (;;) {
      const item = await feed.next();
      if (!item) return;
      this.take(item);
    }
  }

  private take(item: LiveItem): void {
    if (item.kind === 'init') {
      this.finish(this.plan.newInit(item.init));
      return;
    }
    if (item.kind === 'ended') {
      this.finish(this.plan.end());
      this.reason = 'the camera is down';
      return;
    }
    const paused = this.deps.disk.pausedReason();
    if (paused && this.writing) this.finish(this.plan.end());
    const step = this.plan.take(item.fragment, item.receivedAt, !paused);
    if (paused) this.reason = paused;
    if (step.kind === 'skip') return;
    if (step.kind === 'cut') {
      this.finish(step.ended);
      if (!step.next) return;
      this.begin(step.next);
    } else if (step.kind === 'begin') {
      this.begin(step.segment);
    }
    const writing = this.writing;
    if (!writing) return;
    if (!writing.writer.append(item.fragment.bytes)) {
      this.dropped += 1;
      this.reason = writing.writer.failed ? pausedBy(writing.writer.failed) : 'the disk is too slow: frames were dropped';
      if (!writing.writer.failed) this.deps.log('warn', `recording ${this.cameraId}: the disk is too slow (${writing.writer.pendingBytes} bytes waiting); this segment ends here`);
      // The bytes the writer refused are not in the file: its end is the fragment before.
      writing.segment.endedAt -= writing.segment.lastDurationMs;
      this.finish(this.plan.end());
      return;
    }
    this.bytes += item.fragment.bytes.length;
    if (item.receivedAt - writing.extendedAt >= EXTEND_EVERY_MS) {
      writing.extendedAt = item.receivedAt;
      this.safely(() => this.deps.index.extend(writing.id, Math.round(writing.segment.endedAt), writing.writer.acceptedBytes, Math.round(writing.segment.startedAt)));
    }
  }

  private begin(segment: OpenSegment): void {
    const relative = segmentPath(this.cameraId, segment.startedAt);
    const writer = new SegmentWriter(path.join(this.deps.dir, relative), (failure) => this.onWriteFailure(failure), this.deps.writer);
    const { init } = segment;
    writer.append(init.bytes);
    const id = this.safely(() =>
      this.deps.index.begin({
        camera: this.cameraId,
        path: relative,
        startedAt: segment.startedAt,
        endedAt: segment.startedAt,
        bytes: init.bytes.length,
        codec: init.codec,
        width: init.width,
        height: init.height,
        timescale: init.timescale,
        mediaStart: segment.mediaStart,
        initBytes: init.bytes.length,
      }),
    );
    this.writing = { id: id ?? -1, relative, writer, segment, extendedAt: segment.startedAt };
    this.reason = undefined;
  }

  /** Closes the segment's file and gives the index its end; the next segment does not wait for it. */
  private finish(ended: OpenSegment | undefined): void {
    const writing = this.writing;
    if (!ended || !writing || writing.segment !== ended) return;
    this.writing = undefined;
    const closing = writing.writer.close().then(() => {
      // A failed write leaves the file's tail unknown: the index takes the bytes that made it, and
      // reconciling at the next start reads the file's real end.
      const { writer } = writing;
      if (writing.id >= 0) this.safely(() => this.deps.index.finish(writing.id, Math.round(ended.endedAt), writer.failed ? writer.writtenBytes : writer.acceptedBytes, Math.round(ended.startedAt)));
    });
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }

  private onWriteFailure(failure: WriterFailure): void {
    this.reason = pausedBy(failure);
    this.deps.log('error', `recording ${this.cameraId}: ${failure.message}; recording paused`);
    this.deps.disk.writeFailed(failure);
    this.finish(this.plan.end());
  }

  private safely<T>(write: () => T): T | undefined {
    try {
      return write();
    } catch (error) {
      this.deps.log('error', `recording ${this.cameraId}: the index could not be written: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** What the status says after a failed write, worded as the disk guard words it for as long as the pause lasts. */
function pausedBy(failure: WriterFailure): string {
  return `recording paused: ${failure.message}`;
}

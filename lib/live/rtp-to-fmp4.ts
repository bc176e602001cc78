import { writeInitSegment, writeMediaFragment } from '../fmp4/fmp4-writer';
import { H264Depacketizer, type AccessUnit } from '../h264/h264-depacketizer';
import { isSliceType, nalType } from '../h264/nal-unit';
import { isBidirectionalSlice } from '../h264/slice-type';
import { parameterSetsFromFmtp } from '../h264/sprop-parameter-sets';
import { parseRtpPacket } from '../rtp/rtp-packet';
import type { VideoTrack } from '../rtsp/sdp';

const NOTHING: readonly Uint8Array[] = [];

/**
 * A sample lasts as long as the interval before it: the fragment leaves as its last packet comes,
 * not when the next frame tells its real length (ffmpeg's MP4 muxer waits for that, one frame
 * late). Not longer: Chromium then plays on into the extra length instead of waiting at the
 * newest frame for the next one, and settles further behind live (run 10: p95 250 ms with 1.5
 * times the interval). A camera whose rate drops to a third or less at once (a next frame more
 * than twice the last duration away) makes Chromium wait for the next keyframe, once.
 */
/** Before two frames have come, the frame interval a camera most likely has (1/15 s). */
const FIRST_INTERVAL_SECONDS = 1 / 15;
/** A jump in the camera's clock beyond this (a restarted encoder) is not a frame interval. */
const MAX_INTERVAL_SECONDS = 10;

/**
 * The camera sends B-frames: their decode order is not their presentation order, and the RTP
 * timestamps, which are presentation times, give neither the reordered decode times nor the
 * composition offsets their samples need. Its stream is for a reader that reorders (ffmpeg's copy).
 */
export class NeedsReorderingError extends Error {
  override readonly name = 'NeedsReorderingError';

  constructor() {
    super("the camera sends B-frames, which camdash's own RTSP client does not reorder");
  }
}

/**
 * A camera's H.264 RTP made into fragmented MP4 as ffmpeg writes it for the live path: an init
 * segment, then one fragment per frame, starting at a keyframe; decode times from the RTP clock,
 * made continuous over wraps and jumps. A new init follows when the camera's SPS or PPS changes.
 * A stream with B-frames cannot be timed so: push throws a NeedsReorderingError at the first.
 */
export class RtpToFmp4 {
  private readonly depacketizer = new H264Depacketizer();
  private initSps: Uint8Array | undefined;
  private initPps: Uint8Array | undefined;
  private waitingForKeyframe = true;
  private sequenceNumber = 0;
  private lastTimestamp: number | undefined;
  private decodeTime = 0;
  private lastDuration: number;

  constructor(private readonly track: VideoTrack) {
    const { sps, pps } = parameterSetsFromFmtp(track.fmtp);
    this.depacketizer.sps = sps;
    this.depacketizer.pps = pps;
    this.lastDuration = Math.round(track.clockRate * FIRST_INTERVAL_SECONDS);
  }

  get stats() {
    return this.depacketizer.stats;
  }

  /**
   * One RTP packet in; out, the MP4 bytes it completes (none, a fragment, or an init and a fragment).
   * Throws a NeedsReorderingError when the unit it completes is a B-frame.
   */
  push(bytes: Uint8Array): readonly Uint8Array[] {
    const packet = parseRtpPacket(bytes);
    if (!packet || packet.payloadType !== this.track.payloadType) return NOTHING;
    const units = this.depacketizer.push(packet);
    if (units.length === 0) return NOTHING;
    const out: Uint8Array[] = [];
    for (const unit of units) this.write(unit, out);
    return out;
  }

  private write(unit: AccessUnit, out: Uint8Array[]): void {
    // A keyframe's slices are IDR, never B. Of another unit only the first slice is read, which
    // is cheap and, in practice, enough: encoders give all of a picture's slices one type.
    if (!unit.keyframe && isBidirectionalSlice(firstSlice(unit.nalus))) throw new NeedsReorderingError();
    const { sps, pps } = this.depacketizer;
    if (unit.keyframe && sps && pps && (!sameBytes(sps, this.initSps) || !sameBytes(pps, this.initPps))) {
      out.push(writeInitSegment({ sps, pps, timescale: this.track.clockRate }));
      this.initSps = sps;
      this.initPps = pps;
      this.waitingForKeyframe = false;
    }
    if (this.waitingForKeyframe || !this.initSps) return;
    this.advanceClock(unit.timestamp);
    this.sequenceNumber += 1;
    out.push(
      writeMediaFragment({
        sequenceNumber: this.sequenceNumber,
        decodeTime: this.decodeTime,
        duration: this.lastDuration,
        keyframe: unit.keyframe,
        nalus: unit.nalus,
      }),
    );
  }

  private advanceClock(timestamp: number): void {
    const last = this.lastTimestamp;
    this.lastTimestamp = timestamp;
    if (last === undefined) return;
    // RTP timestamps are 32 bits and wrap (every 13 h at 90 kHz): the signed difference is the step.
    const delta = (timestamp - last) | 0;
    const step = delta > 0 && delta <= this.track.clockRate * MAX_INTERVAL_SECONDS ? delta : this.lastDuration;
    this.decodeTime += step;
    this.lastDuration = step;
  }
}

const NO_SLICE = new Uint8Array(0);

function firstSlice(nalus: readonly Uint8Array[]): Uint8Array {
  for (let i = 0; i < nalus.length; i++) if (isSliceType(nalType(nalus[i]!))) return nalus[i]!;
  return NO_SLICE;
}

function sameBytes(a: Uint8Array, b: Uint8Array | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

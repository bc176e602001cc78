/**
 * H.264 over RTP (RFC 6184, packetization modes 0 and 1) back into access units: one coded picture
 * and the parameter sets and SEI that came with it, ready to become one fMP4 sample.
 *
 * It runs for every packet of every camera, so the common paths allocate nothing of their own: a
 * single NAL unit is the packet's payload itself and a STAP-A's units are views into it (so
 * packets' bytes must not be overwritten after push); an FU-A's fragments are copied once, into
 * one buffer for the whole NAL unit, when its last fragment arrives.
 *
 * A lost packet (a sequence gap) loses the picture it belonged to, and every picture after it
 * predicts from a damaged one, so everything up to the next keyframe is dropped: the viewer sees a
 * frozen picture rather than a smeared one. The same holds at the start, which cannot be decoded
 * before the first keyframe either.
 */
import type { RtpPacket } from '../rtp/rtp-packet';
import { NalType } from './nal-unit';

export type AccessUnit = {
  /** The RTP timestamp (uint32, 90 kHz) of the unit's slices. */
  timestamp: number;
  /** In decoding order, without start codes; access unit delimiters (9) and filler (12) dropped. */
  nalus: Uint8Array[];
  /** Holds an IDR slice: a decoder can start here. */
  keyframe: boolean;
};

export type DepacketizerStats = {
  packets: number;
  /** Packets never received, from the gaps in sequence numbers. */
  lostPackets: number;
  /** Access units thrown away: damaged, unreadable (STAP-B, MTAP, FU-B) or waiting for a keyframe. */
  droppedUnits: number;
};

// Nothing completed: one frozen array for every such packet rather than a new empty one each time.
const NOTHING = Object.freeze([]) as unknown as AccessUnit[];

// RFC 3550 A.1's bounds: a packet up to 100 behind the last is late (reordered or duplicated), one
// up to 3000 ahead follows a loss; anything else is a jump, a sender that restarted its numbering.
const MAX_MISORDER = 100;
const MAX_DROPOUT = 3000;

// Bounds on what a sender that never ends a unit (no marker, the same timestamp forever) or never
// ends an FU can make this hold. A 4K IDR picture is a few megabytes in a few hundred NAL units.
const MAX_NALUS_PER_UNIT = 1024;
const MAX_NAL_BYTES = 16 * 1024 * 1024;

type Continuity = 'next' | 'gap' | 'late';

export class H264Depacketizer {
  readonly stats: DepacketizerStats = { packets: 0, lostPackets: 0, droppedUnits: 0 };
  /** The last SPS and PPS seen in band; set them from the SDP (sprop-parameter-sets) before the first packet. */
  sps: Uint8Array | undefined;
  pps: Uint8Array | undefined;

  private expectedSequence = -1;
  private ssrc = -1;
  private jumpSequence = -1;
  private waitingForKeyframe = true;
  /** The NAL type this stream's keyframes begin with (SPS, AUD, IDR…), once one came whole; -1 before. */
  private keyframeLeader = -1;

  private unitOpen = false;
  private unitTimestamp = 0;
  private unitNalus: Uint8Array[] = [];
  private unitHasSlice = false;
  private unitKeyframe = false;
  private unitDamaged = false;
  /** The type of the unit's first NAL unit, delimiters included. */
  private unitLeader = -1;
  /** Parameter sets and SEI that came as a unit of their own, for the next unit with a picture. */
  private carried: Uint8Array[] | undefined;
  private carriedLeader = -1;

  /** The FU-A packets of the NAL unit being reassembled (payloads, FU indicator and header included). */
  private readonly fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  private fragmentHeader = -1;

  /**
   * Takes the next packet; returns the access units it completed: none, the one it ends (marker
   * bit) or the one its new timestamp ends, or both of those.
   */
  push(packet: RtpPacket): AccessUnit[] {
    this.stats.packets += 1;
    const continuity = this.continuityOf(packet);
    if (continuity === 'late') return NOTHING;
    if (continuity === 'gap') this.damage();

    let ended: AccessUnit | undefined;
    if (this.unitOpen && packet.timestamp !== this.unitTimestamp) ended = this.finishUnit();
    if (!this.unitOpen) {
      this.unitOpen = true;
      this.unitTimestamp = packet.timestamp;
      // What the gap lost may have been this unit's first packets, unless this one is plainly a
      // unit's first: then the loss was the unit before's end, or whole units between.
      this.unitDamaged = continuity === 'gap' && !this.startsKeyframe(packet.payload);
    }
    if (!this.unitDamaged) this.takePayload(packet.payload);
    if (!packet.marker) return ended ? [ended] : NOTHING;

    const marked = this.finishUnit();
    if (!marked) return ended ? [ended] : NOTHING;
    return ended ? [ended, marked] : [marked];
  }

  /** Forgets everything but the stats, the parameter sets included: for a new stream. */
  reset(): void {
    this.sps = undefined;
    this.pps = undefined;
    this.expectedSequence = -1;
    this.ssrc = -1;
    this.jumpSequence = -1;
    this.waitingForKeyframe = true;
    this.keyframeLeader = -1;
    this.clearUnit();
    this.carried = undefined;
    this.abortFragment();
  }

  private continuityOf(packet: RtpPacket): Continuity {
    const sequence = packet.sequence;
    if (this.expectedSequence < 0 || packet.ssrc !== this.ssrc) {
      // A new SSRC is a new sender: whatever was in progress belongs to another stream.
      const first = this.expectedSequence < 0;
      this.ssrc = packet.ssrc;
      this.expectedSequence = (sequence + 1) & 0xffff;
      return first ? 'next' : 'gap';
    }
    const ahead = (sequence - this.expectedSequence) & 0xffff;
    if (ahead === 0) {
      this.expectedSequence = (sequence + 1) & 0xffff;
      return 'next';
    }
    if (ahead < MAX_DROPOUT) {
      this.stats.lostPackets += ahead;
      this.expectedSequence = (sequence + 1) & 0xffff;
      return 'gap';
    }
    if (ahead >= 0x10000 - MAX_MISORDER) return 'late';
    // One stray packet must not move the numbering: a jump is believed when the next packet follows it.
    if (sequence === this.jumpSequence) {
      this.jumpSequence = -1;
      this.expectedSequence = (sequence + 1) & 0xffff;
      return 'gap';
    }
    this.jumpSequence = (sequence + 1) & 0xffff;
    return 'late';
  }

  private takePayload(payload: Uint8Array): void {
    if (payload.length === 0) return;
    const type = payload[0]! & 0x1f;
    // NAL units go in decoding order (non-interleaved mode): anything amid an FU-A means its end is gone.
    if (this.fragmentHeader >= 0 && type !== NalType.FuA) this.damage();
    else if (type >= 1 && type <= 23) this.takeNal(payload);
    else if (type === NalType.StapA) this.takeAggregate(payload);
    else if (type === NalType.FuA) this.takeFragment(payload);
    // STAP-B, MTAP and FU-B belong to the interleaved mode, which is not negotiated; 0, 30 and 31
    // are undefined and, as RFC 6184 §5.4 asks, ignored.
    else if (type !== 0 && type < 30) this.damage();
  }

  private takeNal(nal: Uint8Array): void {
    const type = nal[0]! & 0x1f;
    if (this.unitLeader < 0) this.unitLeader = type;
    switch (type) {
      case NalType.Aud:
      case NalType.Filler:
        return;
      case NalType.Sps:
        this.sps = nal;
        break;
      case NalType.Pps:
        this.pps = nal;
        break;
      case NalType.Idr:
        this.unitKeyframe = true;
        this.unitHasSlice = true;
        break;
      case NalType.NonIdrSlice:
      case NalType.SlicePartitionA:
      case NalType.SlicePartitionB:
      case NalType.SlicePartitionC:
        this.unitHasSlice = true;
        break;
    }
    if (this.unitNalus.length >= MAX_NALUS_PER_UNIT) this.damage();
    else this.unitNalus.push(nal);
  }

  /** STAP-A (RFC 6184 §5.7.1): a header byte, then a 16-bit size before each NAL unit. */
  private takeAggregate(payload: Uint8Array): void {
    const length = payload.length;
    for (let at = 1; at < length && !this.unitDamaged; ) {
      const size = at + 2 <= length ? (payload[at]! << 8) | payload[at + 1]! : 0;
      const type = size > 0 ? payload[at + 2]! & 0x1f : 0;
      if (size === 0 || at + 2 + size > length || type < 1 || type > 23) {
        this.damage();
        return;
      }
      this.takeNal(payload.subarray(at + 2, at + 2 + size));
      at += 2 + size;
    }
  }

  /** FU-A (RFC 6184 §5.8): an FU indicator with the NAL's F and NRI, an FU header with start, end and its type. */
  private takeFragment(payload: Uint8Array): void {
    if (payload.length < 2) {
      this.damage();
      return;
    }
    const indicator = payload[0]!;
    const header = payload[1]!;
    const start = (header & 0x80) !== 0;
    const inProgress = this.fragmentHeader >= 0;
    // A start amid a NAL unit, or a continuation without one, means the fragments in between are gone.
    if (start === inProgress) {
      this.damage();
      return;
    }
    if (start) this.fragmentHeader = (indicator & 0xe0) | (header & 0x1f);
    this.fragments.push(payload);
    this.fragmentBytes += payload.length - 2;
    if (this.fragmentBytes > MAX_NAL_BYTES) {
      this.damage();
      return;
    }
    // Start and end in one packet breaks RFC 6184's rule, but the NAL unit is whole all the same.
    if (header & 0x40) this.takeNal(this.joinFragments());
  }

  private joinFragments(): Uint8Array {
    const nal = new Uint8Array(1 + this.fragmentBytes);
    nal[0] = this.fragmentHeader;
    const fragments = this.fragments;
    let at = 1;
    for (let i = 0; i < fragments.length; i++) {
      const fragment = fragments[i]!;
      nal.set(fragment.subarray(2), at);
      at += fragment.length - 2;
    }
    this.abortFragment();
    return nal;
  }

  /**
   * Whether a packet after a gap can be trusted to begin a whole keyframe (anything else is dropped
   * while a keyframe is awaited). Once a keyframe has come whole, a packet must begin with what
   * this stream's keyframes begin with: a keyframe whose in-band SPS was lost is not whole, however
   * clean its IDR slice's start. Before that, with anything that begins an access unit.
   */
  private startsKeyframe(payload: Uint8Array): boolean {
    if (payload.length < 2) return false;
    let type = payload[0]! & 0x1f;
    let next = payload[1]!;
    if (type === NalType.StapA) {
      if (payload.length < 5) return false;
      type = payload[3]! & 0x1f;
      next = payload[4]!;
    } else if (type === NalType.FuA) {
      if (payload.length < 3 || (payload[1]! & 0x80) === 0) return false;
      type = payload[1]! & 0x1f;
      next = payload[2]!;
    }
    // A slice begins its picture when first_mb_in_slice is 0: a ue(v) of the single bit 1, the first after the header byte.
    const firstSlice = (next & 0x80) !== 0;
    if (this.keyframeLeader >= 0) return type === this.keyframeLeader && (type !== NalType.Idr || firstSlice);
    if (type === NalType.Idr) return firstSlice;
    // H.264 §7.4.1.2.3: after a picture's last slice, any of these begins the next access unit.
    return type === NalType.Sei || type === NalType.Sps || type === NalType.Pps || type === NalType.Aud || (type >= 14 && type <= 18);
  }

  private finishUnit(): AccessUnit | undefined {
    // A unit that ends amid an FU-A lacks that NAL unit's end.
    if (this.fragmentHeader >= 0) this.damage();
    this.unitOpen = false;

    if (this.unitDamaged) return this.dropUnit();
    if (!this.unitHasSlice) {
      // Parameter sets under a timestamp of their own: they belong to the next picture.
      if (this.unitNalus.length > 0) {
        if (!this.carried) this.carriedLeader = this.unitLeader;
        this.carried = this.carried ? this.carried.concat(this.unitNalus) : this.unitNalus;
        this.unitNalus = [];
        if (this.carried.length > MAX_NALUS_PER_UNIT) this.carried = undefined;
      }
      this.clearUnit();
      return undefined;
    }
    if (this.waitingForKeyframe && !this.unitKeyframe) return this.dropUnit();

    const unit: AccessUnit = {
      timestamp: this.unitTimestamp,
      nalus: this.carried ? this.carried.concat(this.unitNalus) : this.unitNalus,
      keyframe: this.unitKeyframe,
    };
    if (unit.keyframe) {
      this.waitingForKeyframe = false;
      this.keyframeLeader = this.carried ? this.carriedLeader : this.unitLeader;
    }
    // The array went out with the unit.
    this.unitNalus = [];
    this.carried = undefined;
    this.clearUnit();
    return unit;
  }

  private dropUnit(): undefined {
    this.stats.droppedUnits += 1;
    this.carried = undefined;
    this.clearUnit();
    return undefined;
  }

  /** The unit in progress lost a part: it is dropped when it ends, and so is all up to the next keyframe. */
  private damage(): void {
    if (this.unitOpen) this.unitDamaged = true;
    this.waitingForKeyframe = true;
    this.abortFragment();
  }

  private clearUnit(): void {
    this.unitNalus.length = 0;
    this.unitHasSlice = false;
    this.unitKeyframe = false;
    this.unitDamaged = false;
    this.unitLeader = -1;
    this.unitOpen = false;
  }

  private abortFragment(): void {
    this.fragments.length = 0;
    this.fragmentBytes = 0;
    this.fragmentHeader = -1;
  }
}

/**
 * Rewrites a real x264 SPS into one x264 never writes (with scaling lists, or with
 * pic_order_cnt_type 1), leaving every other field as it was, so that the parser's reading of
 * those branches can be checked against what ffmpeg decodes from the rewritten stream. The test's
 * own bit reading and writing, independent of lib/h264.
 */
import { escapeRbsp, unescapeNal } from '../../helpers/emulation-prevention';

/** A list's scales in zigzag order, or 'default' (useDefaultScalingMatrixFlag); undefined: not present. */
export type ScalingList = number[] | 'default' | undefined;

export type SpsChange = {
  /** 8 lists for 4:2:0 and 4:2:2, 12 for 4:4:4; the SPS must have none. */
  scalingLists?: ScalingList[];
  /** pic_order_cnt_type 1 in place of 2 (delta_pic_order_always_zero_flag set, so slice headers stay valid). */
  pocType1?: { offsetForNonRefPic: number; offsetForTopToBottomField: number; offsetsForRefFrame: number[] };
};

const HIGH_PROFILES = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

export function rewriteSps(nal: Uint8Array, change: SpsChange): Uint8Array {
  const rbsp = Uint8Array.from(unescapeNal(nal));
  const r = new BitReader(rbsp);
  const w = new BitWriter();
  const copy = (bits: number) => {
    const value = r.u(bits);
    w.u(bits, value);
    return value;
  };
  const copyUe = () => {
    const value = r.ue();
    w.ue(value);
    return value;
  };
  const copySe = () => w.se(r.se());

  copy(8); // NAL header
  const profile = copy(8);
  copy(16); // constraint flags, level
  copyUe(); // seq_parameter_set_id
  if (HIGH_PROFILES.includes(profile)) {
    const chroma = copyUe();
    if (chroma === 3) copy(1);
    copyUe();
    copyUe();
    copy(1);
    if (r.u(1) !== 0) throw new Error('rewriteSps: this SPS already has scaling lists');
    const lists = change.scalingLists;
    w.u(1, lists ? 1 : 0);
    if (lists) {
      if (lists.length !== (chroma === 3 ? 12 : 8)) throw new Error(`rewriteSps: ${lists.length} scaling lists for chroma_format_idc ${chroma}`);
      lists.forEach((list, i) => writeScalingList(w, list, i < 6 ? 16 : 64));
    }
  } else if (change.scalingLists) {
    throw new Error(`rewriteSps: profile ${profile} has no scaling lists in its SPS`);
  }
  copyUe(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (change.pocType1) {
    if (pocType !== 2) throw new Error(`rewriteSps: pic_order_cnt_type ${pocType}, not 2, cannot become 1 without touching the slices`);
    const poc = change.pocType1;
    w.ue(1);
    w.u(1, 1);
    w.se(poc.offsetForNonRefPic);
    w.se(poc.offsetForTopToBottomField);
    w.ue(poc.offsetsForRefFrame.length);
    for (const offset of poc.offsetsForRefFrame) w.se(offset);
  } else {
    w.ue(pocType);
    if (pocType === 0) copyUe();
    if (pocType === 1) {
      copy(1);
      copySe();
      copySe();
      const cycle = copyUe();
      for (let i = 0; i < cycle; i++) copySe();
    }
  }
  // The rest (sizes, cropping, VUI) bit for bit, up to the rbsp_stop_one_bit.
  const stop = lastSetBit(rbsp);
  while (r.position < stop) copy(1);
  return Uint8Array.from(escapeRbsp(w.finish()));
}

function writeScalingList(w: BitWriter, list: ScalingList, size: number): void {
  if (list === undefined) {
    w.u(1, 0);
    return;
  }
  w.u(1, 1);
  if (list === 'default') {
    w.se(-8); // nextScale 0 at j = 0
    return;
  }
  if (list.length > size) throw new Error(`rewriteSps: ${list.length} scales for a list of ${size}`);
  let last = 8;
  for (const scale of list) {
    w.se(wrap(scale - last));
    last = scale;
  }
  // Fewer scales than the list holds: a delta to 0 says the rest repeat the last.
  if (list.length < size) w.se(wrap(-last));
}

const wrap = (delta: number) => ((((delta + 128) % 256) + 256) % 256) - 128;



function lastSetBit(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i]!;
    if (byte !== 0) return i * 8 + 7 - Math.log2(byte & -byte);
  }
  throw new Error('rewriteSps: no rbsp_stop_one_bit');
}

class BitReader {
  position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  u(bits: number): number {
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const byte = this.bytes[this.position >> 3];
      if (byte === undefined) throw new Error('rewriteSps: read past the SPS');
      value = value * 2 + ((byte >> (7 - (this.position & 7))) & 1);
      this.position += 1;
    }
    return value;
  }

  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) zeros += 1;
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const code = this.ue();
    return code % 2 ? (code + 1) / 2 : -code / 2;
  }
}

class BitWriter {
  private readonly bits: number[] = [];

  u(count: number, value: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
  }

  ue(value: number): void {
    const code = value + 1;
    const length = Math.floor(Math.log2(code));
    this.u(length, 0);
    this.u(length + 1, code);
  }

  se(value: number): void {
    this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** With the rbsp_stop_one_bit and the zeros to the byte's end. */
  finish(): Uint8Array {
    this.bits.push(1);
    while (this.bits.length % 8) this.bits.push(0);
    const out = new Uint8Array(this.bits.length / 8);
    this.bits.forEach((bit, i) => (out[i >> 3]! |= bit << (7 - (i & 7))));
    return out;
  }
}

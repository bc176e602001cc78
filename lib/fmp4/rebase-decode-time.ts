/**
 * Moves a fragment in time: rewrites the tfdt (baseMediaDecodeTime) of every traf of a moof, in
 * place. For joining fragments of several recordings into one stream whose decode times run on
 * without a jump. The box sizes do not change (a 32-bit tfdt stays 32-bit), so the trun's data
 * offsets, which count from the moof's start, stay right.
 */
import { Fmp4Error } from './fmp4-error';

const MAX_U32 = 0xffff_ffff;

/** Adds `shift` (in the track's timescale, may be negative) to each tfdt in `moof`, which starts at byte 0. */
export function shiftDecodeTime(moof: Uint8Array, shift: number): void {
  if (!Number.isSafeInteger(shift)) throw new Fmp4Error(`a decode time shift must be a whole number (got ${shift})`);
  const data = new DataView(moof.buffer, moof.byteOffset, moof.byteLength);
  const root = boxAt(data, 0, moof.length);
  if (root.type !== 'moof') throw new Fmp4Error(`expected a 'moof' box, got '${root.type}'`);
  let found = 0;
  for (const traf of childrenOf(data, root).filter((box) => box.type === 'traf')) {
    for (const tfdt of childrenOf(data, traf).filter((box) => box.type === 'tfdt')) {
      rewrite(data, tfdt, shift);
      found += 1;
    }
  }
  if (found === 0) throw new Fmp4Error('the moof has no tfdt to shift');
}

type Box = { type: string; payload: number; end: number };

function rewrite(data: DataView, tfdt: Box, shift: number): void {
  const version = data.getUint8(tfdt.payload);
  const at = tfdt.payload + 4;
  if (version === 1) {
    if (tfdt.end - at < 8) throw new Fmp4Error('tfdt is too short for its 64-bit decode time');
    const shifted = Number(data.getBigUint64(at)) + shift;
    if (shifted < 0 || !Number.isSafeInteger(shifted)) throw new Fmp4Error(`a shifted decode time of ${shifted} is out of range`);
    data.setBigUint64(at, BigInt(shifted));
    return;
  }
  if (tfdt.end - at < 4) throw new Fmp4Error('tfdt is too short for its decode time');
  const shifted = data.getUint32(at) + shift;
  // Widening to 64 bits would grow the moof and move every data offset: refused instead.
  if (shifted < 0 || shifted > MAX_U32) throw new Fmp4Error(`a shifted decode time of ${shifted} does not fit a 32-bit tfdt`);
  data.setUint32(at, shifted);
}

function childrenOf(data: DataView, parent: Box): Box[] {
  const boxes: Box[] = [];
  for (let offset = parent.payload; offset < parent.end; ) {
    const box = boxAt(data, offset, parent.end);
    boxes.push(box);
    offset = box.end;
  }
  return boxes;
}

function boxAt(data: DataView, offset: number, limit: number): Box {
  if (limit - offset < 8) throw new Fmp4Error(`${limit - offset} stray bytes where a box header should be`);
  const type = String.fromCharCode(data.getUint8(offset + 4), data.getUint8(offset + 5), data.getUint8(offset + 6), data.getUint8(offset + 7));
  let size = data.getUint32(offset);
  let payload = offset + 8;
  if (size === 1) {
    if (limit - offset < 16) throw new Fmp4Error(`box '${type}' is cut inside its 64-bit size`);
    size = Number(data.getBigUint64(offset + 8));
    payload = offset + 16;
  } else if (size === 0) {
    size = limit - offset;
  }
  if (size < payload - offset || offset + size > limit) throw new Fmp4Error(`box '${type}' declares ${size} bytes, but ${limit - offset} remain`);
  return { type, payload, end: offset + size };
}

/**
 * The codec string a browser expects, derived the long way round from the SPS in an Annex-B
 * stream (as ffprobe's profile and level are), to check the parser's reading of avcC and hvcC.
 */
import { unescapeNal } from '../../helpers/emulation-prevention';

function* nalUnits(stream: Uint8Array): Generator<Uint8Array> {
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  for (const [n, start] of starts.entries()) yield stream.subarray(start, (starts[n + 1] ?? stream.length + 3) - 3);
}


const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

export function avcCodecFromSps(stream: Uint8Array, fourcc = 'avc1'): string {
  for (const nal of nalUnits(stream)) {
    if (((nal[0] ?? 0) & 0x1f) !== 7) continue;
    const sps = unescapeNal(nal);
    return `${fourcc}.${hex(sps[1] ?? 0)}${hex(sps[2] ?? 0)}${hex(sps[3] ?? 0)}`;
  }
  throw new Error('no H.264 SPS in the stream');
}

export function hevcCodecFromSps(stream: Uint8Array, fourcc: string): string {
  for (const nal of nalUnits(stream)) {
    if ((((nal[0] ?? 0) >> 1) & 0x3f) !== 33) continue;
    // 2-byte NAL header, 1 byte of ids and sub-layer count, then profile_tier_level().
    const ptl = unescapeNal(nal).slice(3, 15);
    const [first = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0] = ptl;
    const compatibilityBits = [c0, c1, c2, c3].map((b) => b.toString(2).padStart(8, '0')).join('');
    const reversed = parseInt([...compatibilityBits].reverse().join(''), 2).toString(16).toUpperCase();
    const constraints = ptl.slice(5, 11);
    while (constraints.at(-1) === 0) constraints.pop();
    const profile = `${['', 'A', 'B', 'C'][first >> 6]}${first & 0x1f}`;
    const tierLevel = `${first & 0x20 ? 'H' : 'L'}${ptl[11]}`;
    return [fourcc, profile, reversed, tierLevel, ...constraints.map((b) => b.toString(16).toUpperCase())].join('.');
  }
  throw new Error('no HEVC SPS in the stream');
}

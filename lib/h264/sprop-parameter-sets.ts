/**
 * The SPS and PPS a camera announces in its SDP (`a=fmtp:96 …;sprop-parameter-sets=Z0IAH…,aM4…`,
 * RFC 6184 §8.1), so that an init segment can be written before the first keyframe brings them
 * in band, and for cameras that never send them in band at all.
 */
import { NalType, nalType } from './nal-unit';

/**
 * The first SPS and the first PPS among the comma-separated base64 NAL units, picked by their NAL
 * type: cameras list them in either order, and some add SEI or several PPS. An entry that is not
 * base64 is skipped rather than failing the stream: the parameter sets may still come in band.
 */
export function parameterSetsFromFmtp(fmtp: Map<string, string>): { sps: Uint8Array | undefined; pps: Uint8Array | undefined } {
  let sps: Uint8Array | undefined;
  let pps: Uint8Array | undefined;
  for (const entry of (fmtp.get('sprop-parameter-sets') ?? '').split(',')) {
    const nal = decodeBase64(entry);
    if (!nal || nal.length === 0) continue;
    const type = nalType(nal);
    if (type === NalType.Sps) sps ??= nal;
    else if (type === NalType.Pps) pps ??= nal;
  }
  return { sps, pps };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// The URL-safe alphabet's two letters too: a camera that uses them means the same bytes.
const SEXTETS = new Map<string, number>([...[...ALPHABET].entries()].map(([value, letter]) => [letter, value]));
SEXTETS.set('-', 62).set('_', 63);

/** Base64, whitespace and padding optional. Not Buffer (Node's alone) nor atob (it refuses the URL-safe letters and answers in a string). */
function decodeBase64(text: string): Uint8Array | undefined {
  const letters = text.replace(/\s+/g, '').replace(/=+$/, '');
  // One letter over a multiple of four holds 6 bits, less than a byte: the text was cut.
  if (letters.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((letters.length * 6) / 8));
  let accumulator = 0;
  let bitCount = 0;
  let written = 0;
  for (const letter of letters) {
    const value = SEXTETS.get(letter);
    if (value === undefined) return undefined;
    accumulator = ((accumulator << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[written++] = (accumulator >>> bitCount) & 0xff;
    }
  }
  return bytes;
}

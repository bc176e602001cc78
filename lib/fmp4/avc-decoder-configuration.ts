/**
 * The AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1), the body of an avc1 entry's avcC
 * box: the parameter sets a decoder needs before the first sample, and the profile and level the
 * codec string is read from.
 */
import { NalType, nalType } from '../h264/nal-unit';
import { parseSps } from '../h264/sps';
import { Fmp4Error } from './fmp4-error';

// The profiles whose record carries chroma format and bit depths (§5.3.3.1.2).
const PROFILES_WITH_FORMAT_FIELDS = new Set([100, 110, 122, 144]);

/** One SPS and one PPS, whole NAL units (header byte and emulation prevention included), as in the stream. */
export function avcDecoderConfiguration(sps: Uint8Array, pps: Uint8Array): Uint8Array {
  if (nalType(sps) !== NalType.Sps) throw new Fmp4Error(`avcC needs an SPS (NAL type 7), got NAL type ${nalType(sps)}`);
  if (nalType(pps) !== NalType.Pps) throw new Fmp4Error(`avcC needs a PPS (NAL type 8), got NAL type ${nalType(pps)}`);
  if (sps.length > 0xffff || pps.length > 0xffff) throw new Fmp4Error('a parameter set longer than 65535 bytes does not fit avcC');
  const info = parseSps(sps);
  const withFormat = PROFILES_WITH_FORMAT_FIELDS.has(info.profileIdc);

  const record = new Uint8Array(6 + 2 + sps.length + 1 + 2 + pps.length + (withFormat ? 4 : 0));
  record[0] = 1; // configurationVersion
  record[1] = info.profileIdc;
  record[2] = info.constraintFlags;
  record[3] = info.levelIdc;
  record[4] = 0xfc | 3; // reserved bits, lengthSizeMinusOne: the 4-byte lengths the fragments use
  record[5] = 0xe0 | 1; // reserved bits, numOfSequenceParameterSets
  let at = writeParameterSet(record, 6, sps);
  record[at++] = 1; // numOfPictureParameterSets
  at = writeParameterSet(record, at, pps);
  if (withFormat) {
    record[at++] = 0xfc | info.chromaFormatIdc;
    record[at++] = 0xf8 | (info.bitDepthLuma - 8);
    record[at++] = 0xf8 | (info.bitDepthChroma - 8);
    record[at++] = 0; // numOfSequenceParameterSetExt
  }
  return record;
}

function writeParameterSet(record: Uint8Array, at: number, nal: Uint8Array): number {
  record[at] = nal.length >>> 8;
  record[at + 1] = nal.length & 0xff;
  record.set(nal, at + 2);
  return at + 2 + nal.length;
}

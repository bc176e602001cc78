/**
 * The sequence parameter set (H.264 §7.3.2.1.1) as far as the picture size: what an init segment
 * needs (the profile and level for the codec string, the displayed width and height, and for the
 * high profiles' avcC the chroma format and bit depths). The VUI after the cropping is not read.
 */
import { RbspReader } from './bit-reader';
import { H264Error } from './h264-error';
import { NalType, nalType, removeEmulationPrevention } from './nal-unit';

export type SpsInfo = { profileIdc: number; constraintFlags: number; levelIdc: number; width: number; height: number };

/** SpsInfo and the fields of the high profiles' chroma and bit-depth extension, defaults (4:2:0, 8 bits) for the others. */
export type ParsedSps = SpsInfo & { chromaFormatIdc: number; bitDepthLuma: number; bitDepthChroma: number };

// The profiles whose SPS carries chroma_format_idc, bit depths and scaling lists (§7.3.2.1.1), and
// 144, the High 4:4:4 that the 2007 edition withdrew, which ffmpeg still reads the same way.
const PROFILES_WITH_CHROMA_FORMAT = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135, 144]);

const CHROMA_444 = 3;
// A size beyond any level's limit (level 6.2 allows 139264 macroblocks per frame) is a corrupt SPS.
const MAX_MACROBLOCKS_PER_SIDE = 1 << 12;

/** Reads a whole SPS NAL unit, header byte included, as it comes in RTP or sprop-parameter-sets. */
export function parseSps(nal: Uint8Array): ParsedSps {
  if (nalType(nal) !== NalType.Sps) throw new H264Error(`expected an SPS (NAL type 7), got NAL type ${nalType(nal)}`);
  const bits = new RbspReader(removeEmulationPrevention(nal), 1, 'the SPS');

  const profileIdc = bits.u(8);
  const constraintFlags = bits.u(8);
  const levelIdc = bits.u(8);
  bits.ue('seq_parameter_set_id', 31);

  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  if (PROFILES_WITH_CHROMA_FORMAT.has(profileIdc)) {
    chromaFormatIdc = bits.ue('chroma_format_idc', 3);
    if (chromaFormatIdc === CHROMA_444) separateColourPlane = bits.flag();
    bitDepthLuma = 8 + bits.ue('bit_depth_luma_minus8', 6);
    bitDepthChroma = 8 + bits.ue('bit_depth_chroma_minus8', 6);
    bits.flag(); // qpprime_y_zero_transform_bypass_flag
    if (bits.flag()) skipScalingMatrix(bits, chromaFormatIdc === CHROMA_444 ? 12 : 8);
  }

  bits.ue('log2_max_frame_num_minus4', 12);
  const picOrderCntType = bits.ue('pic_order_cnt_type', 2);
  if (picOrderCntType === 0) {
    bits.ue('log2_max_pic_order_cnt_lsb_minus4', 12);
  } else if (picOrderCntType === 1) {
    bits.flag(); // delta_pic_order_always_zero_flag
    bits.se(); // offset_for_non_ref_pic
    bits.se(); // offset_for_top_to_bottom_field
    const cycle = bits.ue('num_ref_frames_in_pic_order_cnt_cycle', 255);
    for (let i = 0; i < cycle; i++) bits.se(); // offset_for_ref_frame
  }
  bits.ue('max_num_ref_frames', 32);
  bits.flag(); // gaps_in_frame_num_value_allowed_flag

  const widthInMbs = bits.ue('pic_width_in_mbs_minus1', MAX_MACROBLOCKS_PER_SIDE) + 1;
  const heightInMapUnits = bits.ue('pic_height_in_map_units_minus1', MAX_MACROBLOCKS_PER_SIDE) + 1;
  const frameMbsOnly = bits.flag();
  if (!frameMbsOnly) bits.flag(); // mb_adaptive_frame_field_flag
  bits.flag(); // direct_8x8_inference_flag

  // Field-coded streams count their height in pairs of macroblock rows (§7.4.2.1.1).
  const fieldFactor = frameMbsOnly ? 1 : 2;
  const codedWidth = widthInMbs * 16;
  const codedHeight = heightInMapUnits * 16 * fieldFactor;
  let width = codedWidth;
  let height = codedHeight;
  if (bits.flag()) {
    // Cropping counts in chroma samples (Table 6-1); without chroma (4:0:0 or separate planes), in luma ones.
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const cropUnitX = chromaArrayType === 0 || chromaArrayType === CHROMA_444 ? 1 : 2;
    const cropUnitY = (chromaArrayType === 1 ? 2 : 1) * fieldFactor;
    const left = bits.ue('frame_crop_left_offset', codedWidth);
    const right = bits.ue('frame_crop_right_offset', codedWidth);
    const top = bits.ue('frame_crop_top_offset', codedHeight);
    const bottom = bits.ue('frame_crop_bottom_offset', codedHeight);
    width -= cropUnitX * (left + right);
    height -= cropUnitY * (top + bottom);
  }
  if (width <= 0 || height <= 0) throw new H264Error(`the SPS crops its ${codedWidth}x${codedHeight} picture to nothing`);

  return { profileIdc, constraintFlags, levelIdc, width, height, chromaFormatIdc, bitDepthLuma, bitDepthChroma };
}

/** Reads past seq_scaling_list_present_flag[i] and the scaling_list() of each present list (§7.3.2.1.1.1). */
function skipScalingMatrix(bits: RbspReader, lists: number): void {
  for (let i = 0; i < lists; i++) {
    if (!bits.flag()) continue;
    const size = i < 6 ? 16 : 64;
    let lastScale = 8;
    let nextScale = 8;
    // A next scale of 0 ends the list early: the remaining entries repeat the last and are not coded.
    for (let j = 0; j < size && nextScale !== 0; j++) {
      const delta = bits.se();
      if (delta < -128 || delta > 127) throw new H264Error(`a scaling list's delta_scale is ${delta}, outside -128..127`);
      nextScale = (lastScale + delta + 256) % 256;
      lastScale = nextScale;
    }
  }
}

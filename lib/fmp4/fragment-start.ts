import { BoxSplitter } from './box-splitter';
import { parseMediaFragment, type FragmentTrack } from './media-fragment';

const NO_BYTES = new Uint8Array(0);

/** Where a fragment (moof+mdat) starts (tfdt) and whether a decoder can start there; undefined for an unreadable one. */
export function fragmentStart(fragment: Uint8Array, track?: FragmentTrack): { decodeTime: number; keyframe: boolean } | undefined {
  try {
    const moof = new BoxSplitter().push(fragment).find((box) => box.type === 'moof');
    // Only the moof is read: the samples themselves are of no interest here.
    const read = moof && parseMediaFragment(moof.bytes, NO_BYTES, track);
    return read ? { decodeTime: read.decodeTime, keyframe: read.keyframe } : undefined;
  } catch {
    return undefined;
  }
}

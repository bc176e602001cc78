import { stat } from 'node:fs/promises';
import { RecordingError } from './recording-error';
import { continueSegmentScan, scanSegmentFile, type SegmentFileScan } from './segment-file';

const KEPT = 32;

/**
 * Scans of segment files by (path, size): a player asks for the same minute again and again as it
 * plays and seeks. A file that grew (the segment being written) is read on from where its last
 * scan stopped rather than again from the start.
 */
export class ScanCache {
  // A Map keeps insertion order: the first key is the least recently used.
  private readonly scans = new Map<string, SegmentFileScan>();

  async scan(file: string): Promise<SegmentFileScan> {
    const { size } = await stat(file);
    const cached = this.scans.get(file);
    this.scans.delete(file);
    const scan = cached?.size === size ? cached : cached && cached.size < size ? await continueSegmentScan(file, cached) : await scanSegmentFile(file);
    this.scans.set(file, scan);
    for (const oldest of this.scans.keys()) {
      if (this.scans.size <= KEPT) break;
      this.scans.delete(oldest);
    }
    return scan;
  }

  /** Undefined for a file deleted since the index was read (retention), or one not yet holding its init: nothing to play there. */
  async scanIfReadable(file: string): Promise<SegmentFileScan | undefined> {
    try {
      return await this.scan(file);
    } catch (error) {
      if (error instanceof RecordingError || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingSettingsFromEnv } from '@/lib/recording/recording-settings';

const GB = 1024 ** 3;

describe('the recording settings', () => {
  it('defaults to ./recordings, 1 GB free, no share or size limit, 60 s segments', () => {
    expect(recordingSettingsFromEnv({})).toEqual({
      dir: path.resolve('recordings'),
      minFreeBytes: GB,
      minFreePercent: 0,
      maxBytes: undefined,
      segmentSeconds: 60,
      problems: [],
    });
  });

  it('reads each variable', () => {
    const settings = recordingSettingsFromEnv({
      CAMDASH_RECORDINGS_DIR: '/srv/footage',
      CAMDASH_MIN_FREE_GB: '2.5',
      CAMDASH_MIN_FREE_PERCENT: '10',
      CAMDASH_RECORDINGS_MAX_GB: '500',
      CAMDASH_RECORD_SEGMENT_SECONDS: '2',
    });
    expect(settings).toEqual({ dir: '/srv/footage', minFreeBytes: 2.5 * GB, minFreePercent: 10, maxBytes: 500 * GB, segmentSeconds: 2, problems: [] });
    expect(recordingSettingsFromEnv({ CAMDASH_MIN_FREE_GB: '0' }).minFreeBytes).toBe(0);
  });

  it('names each value it does not understand, and uses the default for it', () => {
    const settings = recordingSettingsFromEnv({
      CAMDASH_MIN_FREE_GB: '-1',
      CAMDASH_MIN_FREE_PERCENT: '101',
      CAMDASH_RECORDINGS_MAX_GB: '0',
      CAMDASH_RECORD_SEGMENT_SECONDS: '1.5',
    });
    expect([settings.minFreeBytes, settings.minFreePercent, settings.maxBytes, settings.segmentSeconds]).toEqual([GB, 0, undefined, 60]);
    expect(settings.problems).toEqual([
      'CAMDASH_RECORDINGS_MAX_GB: must be a number, more than 0 (got "0"); using no limit',
      'CAMDASH_MIN_FREE_GB: must be a number, 0 or more (got "-1"); using 1',
      'CAMDASH_MIN_FREE_PERCENT: must be a number, from 0 to 100 (got "101"); using 0',
      'CAMDASH_RECORD_SEGMENT_SECONDS: must be a whole number, from 2 to 3600 (got "1.5"); using 60',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { recordingsOverview } from '@/lib/recording/recordings-overview';

const camera = (id: string, recording: PublicCamera['recording']) => ({ id, name: id.toUpperCase(), recording }) as PublicCamera;
const active = { mode: 'continuous' as const, active: true, reason: null, droppedFragments: 0, bytesWritten: 0 };

describe('the recordings overview', () => {
  it('lists cameras that record or still have footage, in order, with the day recorded and its newest end', () => {
    const footage = new Map([
      ['door', { spans: [{ start: 0, end: 60_000 }, { start: 120_000, end: 150_000 }], bytes: 5_000 }],
      ['old', { spans: [], bytes: 900 }],
    ]);
    const rows = recordingsOverview([camera('door', active), camera('yard', null), camera('old', null), camera('new', { ...active, active: false, reason: 'starting' })], (id) => footage.get(id) ?? { spans: [], bytes: 0 });
    expect(rows.map((row) => [row.id, row.recordedMs, row.lastRecordedAt, row.bytes])).toEqual([
      ['door', 90_000, 150_000, 5_000],
      ['old', 0, null, 900],
      ['new', 0, null, 0],
    ]);
  });
});

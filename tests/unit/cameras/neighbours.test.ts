import { describe, expect, it } from 'vitest';
import { neighbours, snapshotFileName } from '@/lib/cameras/neighbours';

describe('camera page navigation and snapshots', () => {
  it('goes to the previous and next camera in file order, wrapping around', () => {
    expect(neighbours(['a', 'b', 'c'], 'a')).toEqual({ previous: 'c', next: 'b' });
    expect(neighbours(['a', 'b', 'c'], 'c')).toEqual({ previous: 'b', next: 'a' });
    expect(neighbours(['a'], 'a')).toEqual({ previous: null, next: null });
  });

  it('names a snapshot after the camera and the time', () => {
    expect(snapshotFileName('front-door', new Date(2026, 10, 23, 9, 5, 7))).toBe('front-door-2026-11-23-09-05-07.jpg');
  });
});

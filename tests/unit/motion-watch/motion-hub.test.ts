import { describe, expect, it } from 'vitest';
import { MotionHub, type MotionState } from '@/lib/motion-watch/motion-hub';
import type { FrameVerdict } from '@/lib/motion/types';

const verdict = (at: number, motion: boolean): FrameVerdict => ({ at, motion, score: motion ? 0.1 : 0, boxes: motion ? [{ x: 0.1, y: 0.2, width: 0.3, height: 0.4 }] : [], zones: [] });

describe('MotionHub', () => {
  it('says a still scene once, then passes on every moving frame and the one after', () => {
    const hub = new MotionHub();
    const heard: MotionState[] = [];
    hub.subscribe((state) => heard.push(state));
    for (let at = 0; at < 5; at += 1) hub.verdict('door', verdict(at, false));
    expect(heard.map((state) => state.at)).toEqual([0]);
    hub.verdict('door', verdict(5, true));
    hub.verdict('door', verdict(6, true));
    hub.verdict('door', verdict(7, false));
    hub.verdict('door', verdict(8, false));
    expect(heard.map((state) => [state.at, state.moving, state.boxes.length])).toEqual([
      [0, false, 0],
      [5, true, 1],
      [6, true, 1],
      [7, false, 0],
    ]);
  });

  it('keeps an event going across still frames until it ends', () => {
    const hub = new MotionHub();
    hub.eventStarted('door', 100);
    hub.verdict('door', verdict(150, false));
    expect(hub.get('door')).toMatchObject({ active: true, since: 100, moving: false });
    hub.eventEnded('door', 200);
    expect(hub.get('door')).toMatchObject({ active: false, since: null });
  });

  it('tells listeners when a camera stops being watched, and forgets it', () => {
    const hub = new MotionHub();
    const heard: MotionState[] = [];
    hub.eventStarted('door', 100);
    hub.subscribe((state) => heard.push(state));
    hub.forget('door');
    expect(heard).toMatchObject([{ camera: 'door', active: false }]);
    expect(hub.all()).toEqual([]);
  });
});

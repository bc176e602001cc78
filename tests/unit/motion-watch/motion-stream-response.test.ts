import { describe, expect, it } from 'vitest';
import { motionStreamResponse } from '@/lib/http/motion-stream-response';
import { MotionHub } from '@/lib/motion-watch/motion-hub';

async function readText(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value } = await reader.read();
  return new TextDecoder().decode(value);
}

const messages = (text: string) => text.split('\n\n').filter((block) => block.startsWith('event: motion')).map((block) => JSON.parse(block.split('data: ')[1]!));

describe('motionStreamResponse', () => {
  it('sends every camera\'s state first, then changes', async () => {
    const hub = new MotionHub();
    hub.eventStarted('door', 100);
    const response = motionStreamResponse(hub);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    expect(messages(await readText(reader))).toMatchObject([{ camera: 'door', active: true, since: 100 }]);
    hub.eventEnded('door', 200);
    expect(messages(await readText(reader))).toMatchObject([{ camera: 'door', active: false }]);
    await reader.cancel();
  });

  it('holds only the newest state per camera for a client that does not read', async () => {
    const hub = new MotionHub();
    const response = motionStreamResponse(hub);
    const reader = response.body!.getReader();
    for (let at = 0; at < 1000; at += 1) hub.verdict(`cam-${at % 3}`, { at, motion: true, score: 0.2, boxes: [], zones: [] });
    const sent = messages(await readText(reader));
    expect(sent.map((state) => state.camera).sort()).toEqual(['cam-0', 'cam-1', 'cam-2']);
    expect(Math.max(...sent.map((state) => state.at))).toBe(999);
    await reader.cancel();
  });

  it('stops listening when the client goes', async () => {
    const hub = new MotionHub();
    let listeners = 0;
    const subscribe = hub.subscribe.bind(hub);
    hub.subscribe = (listener) => {
      listeners += 1;
      const off = subscribe(listener);
      return () => {
        listeners -= 1;
        return off();
      };
    };
    const response = motionStreamResponse(hub);
    expect(listeners).toBe(1);
    await response.body!.cancel();
    expect(listeners).toBe(0);
  });
});

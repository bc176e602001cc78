import { describe, expect, it } from 'vitest';
import { passwordForms, redact, redactUrlCredentials } from '@/lib/ffmpeg/redact';

describe('redaction', () => {
  it('hides the password of every URL in a text, keeping the user', () => {
    expect(redactUrlCredentials('[rtsp @ 0x1] rtsp://admin:hunter2@10.0.0.2:554/live failed; http://u:p@cam/x')).toBe(
      '[rtsp @ 0x1] rtsp://admin:***@10.0.0.2:554/live failed; http://u:***@cam/x',
    );
    expect(redactUrlCredentials('rtsp://10.0.0.2/live')).toBe('rtsp://10.0.0.2/live');
  });

  it('also hides a known password that appears on its own, raw or decoded', () => {
    const url = 'rtsp://admin:p%40ss%3Aword@cam/1';
    expect(passwordForms(url)).toEqual(['p%40ss%3Aword', 'p@ss:word']);
    expect(redact('Unauthorized for admin with p@ss:word', passwordForms(url))).toBe('Unauthorized for admin with ***');
    expect(passwordForms('rtsp://cam/1')).toEqual([]);
  });
});

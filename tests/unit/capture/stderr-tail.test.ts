import { describe, expect, it } from 'vitest';
import { StderrTail } from '@/lib/capture/stderr-tail';

describe('stderr tail', () => {
  it('keeps the last lines, bounded, redacted, across chunk boundaries', () => {
    const tail = new StderrTail(['hunter2'], 3, 40);
    tail.push('line 1\nline 2\nrtsp://admin:hun');
    tail.push('ter2@cam/1 401 Unauthorized\nauth hunter2 rejected\nlast');
    expect(tail.snapshot()).toEqual(['rtsp://admin:***@cam/1 401 Unauthorized', 'auth *** rejected', 'last']);
    tail.push(' line ' + 'x'.repeat(100) + '\n');
    expect(tail.snapshot().at(-1)).toHaveLength(40);
  });

  it('drops an endless unterminated line whole instead of keeping a cut that redaction could miss', () => {
    const tail = new StderrTail(['hunter2'], 3, 10);
    tail.push('x'.repeat(35) + 'hunter2');
    tail.push('y'.repeat(10));
    expect(tail.snapshot().join()).not.toContain('hunt');
  });
});

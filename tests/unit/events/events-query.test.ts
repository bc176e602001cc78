import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMIT, parseEventId, parseEventsQuery } from '@/lib/events/events-query';

const parse = (query: string) => parseEventsQuery(new URLSearchParams(query));

describe('the events query', () => {
  it('takes camera, from, to and limit, with limit 100 by default', () => {
    expect(parse('')).toEqual({ ok: true, value: { limit: DEFAULT_LIMIT } });
    expect(parse('camera=front-door&from=0&to=1764590400000&limit=500')).toEqual({
      ok: true,
      value: { camera: 'front-door', from: 0, to: 1764590400000, limit: 500 },
    });
    expect(parse('from=5&to=5&limit=1')).toMatchObject({ ok: true, value: { from: 5, to: 5, limit: 1 } });
  });

  it('reads an empty value as none, as a form sends "any"', () => {
    expect(parse('camera=&from=&to=&limit=')).toEqual({ ok: true, value: { limit: DEFAULT_LIMIT } });
  });

  it('names the parameter that is wrong, and says what it must be', () => {
    const cases: [string, string, RegExp][] = [
      ['camera=Front%20Door', 'camera', /must be a camera id/],
      ['camera=-door', 'camera', /must be a camera id/],
      [`camera=${'a'.repeat(65)}`, 'camera', /must be a camera id/],
      ['from=-1', 'from', /epoch milliseconds/],
      ['from=1.5', 'from', /epoch milliseconds/],
      ['to=1e12', 'to', /epoch milliseconds/],
      ['to=99999999999999999', 'to', /epoch milliseconds/],
      ['to=9999999999999999', 'to', /epoch milliseconds/], // past what a Date holds
      ['from=20&to=10', 'from', /must not be after to/],
      ['limit=0', 'limit', /from 1 to 500/],
      ['limit=501', 'limit', /from 1 to 500/],
      ['limit=ten', 'limit', /from 1 to 500/],
      ['limit=-5', 'limit', /from 1 to 500/],
      ['camera=door&camera=yard', 'camera', /more than once/],
      ['cameras=door', 'cameras', /not a parameter/],
      ['__proto__=1', '__proto__', /not a parameter/],
      ['constructor=1', 'constructor', /not a parameter/],
    ];
    for (const [query, parameter, message] of cases) {
      const result = parse(query);
      expect(result, query).toMatchObject({ ok: false, parameter });
      expect(result.ok === false && result.message, query).toMatch(message);
    }
  });

  it('takes an event id that is a positive whole number, and nothing else', () => {
    expect(parseEventId('42')).toEqual({ ok: true, value: 42 });
    for (const text of ['0', '-1', '01', '1.0', '1e3', ' 1', 'abc', '', '99999999999999999', '9007199254740993']) {
      expect(parseEventId(text), text).toMatchObject({ ok: false, parameter: 'id' });
    }
  });
});

import { z } from 'zod';
import { CAMERA_ID } from '../config/schema';
import { DEFAULT_LIMIT, MAX_LIMIT } from './list-limits';
import type { EventListQuery } from './list-query';

export { DEFAULT_LIMIT, MAX_LIMIT };
// The last millisecond a JavaScript Date can hold.
const MAX_TIME = 8_640_000_000_000_000;

export type QueryProblem = { parameter: string; message: string };
export type Parsed<T> = { ok: true; value: T } | ({ ok: false } & QueryProblem);

const TIME_MESSAGE = 'must be a time in epoch milliseconds (a whole number, 0 or more)';
const time = z
  .string()
  .regex(/^\d{1,16}$/, TIME_MESSAGE)
  .transform(Number)
  .pipe(z.number().max(MAX_TIME, TIME_MESSAGE));

const LIMIT_MESSAGE = `must be a whole number from 1 to ${MAX_LIMIT}`;
const querySchema = z
  .strictObject({
    camera: z.string().regex(CAMERA_ID, 'must be a camera id (lowercase letters, digits, "-" or "_", up to 64)').optional(),
    from: time.optional(),
    to: time.optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, LIMIT_MESSAGE)
      .transform(Number)
      .pipe(z.number().min(1, LIMIT_MESSAGE).max(MAX_LIMIT, LIMIT_MESSAGE))
      .default(DEFAULT_LIMIT),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['from'],
    message: 'must not be after to',
  });

/**
 * `?camera=&from=&to=&limit=` of GET /api/events and of the events page. An empty value is the
 * same as none (a form's "any"); a parameter given twice, or one not listed, is an error naming it.
 */
export function parseEventsQuery(params: URLSearchParams): Parsed<EventListQuery> {
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    if (values.has(name)) return { ok: false, parameter: name, message: 'is given more than once' };
    values.set(name, value);
  }
  const given = Object.fromEntries([...values].filter(([, value]) => value !== ''));
  const result = querySchema.safeParse(given);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    return { ok: false, parameter: issue.keys[0]!, message: 'is not a parameter of this list (camera, from, to, limit)' };
  }
  return { ok: false, parameter: String(issue.path[0] ?? 'query'), message: issue.message };
}

/** An event id in a path: a positive whole number. */
export function parseEventId(text: string): Parsed<number> {
  const id = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(id)) return { ok: true, value: id };
  return { ok: false, parameter: 'id', message: 'must be an event id (a whole number, 1 or more)' };
}

/** `limit: must be …`: what the API answers and the page shows. */
export const describeProblem = ({ parameter, message }: QueryProblem): string => `${parameter}: ${message}`;

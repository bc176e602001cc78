import type { core } from 'zod';

/**
 * Turns zod issues into lines that say where and what, in the user's terms:
 *   cameras.json: cameras[2] ("garage").fps: must be between 1 and 60
 * The camera id is read from the raw input, so it shows even when other fields are wrong.
 */
export function formatIssues(fileLabel: string, issues: readonly core.$ZodIssue[], raw: unknown): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => line(fileLabel, [...issue.path, key], raw, 'unknown key'));
    }
    return [line(fileLabel, issue.path, raw, describe(issue))];
  });
}

export function formatPath(path: readonly PropertyKey[], raw: unknown): string {
  let text = '';
  let node: unknown = raw;
  path.forEach((segment, depth) => {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[segment] : undefined;
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += depth === 0 ? String(segment) : `.${String(segment)}`;
    const isCamera = depth === 1 && path[0] === 'cameras' && typeof segment === 'number';
    const id = isCamera && node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id !== '') text += ` (${JSON.stringify(id)})`;
  });
  return text;
}

function line(fileLabel: string, path: readonly PropertyKey[], raw: unknown, message: string): string {
  const where = formatPath(path, raw);
  return where ? `${fileLabel}: ${where}: ${message}` : `${fileLabel}: ${message}`;
}

function describe(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined') ? 'is required' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'array' || expected === 'object') return `an ${expected}`;
  return `a ${expected}`;
}

/** Where a `${VAR}` could not be filled in: the JSON path and the variable's name. */
export type MissingVariable = { path: (string | number)[]; name: string };

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` in every string of a parsed JSON value, so that passwords can live in the
 * environment instead of the file. Returns a new value; unset variables are reported, not guessed.
 */
export function substituteEnvVars(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { value: unknown; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      return node.replace(VARIABLE, (whole, name: string) => {
        const replacement = env[name];
        if (replacement === undefined) {
          missing.push({ path, name });
          return whole;
        }
        return replacement;
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  return { value: walk(value, []), missing };
}

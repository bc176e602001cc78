import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { camerasFileSchema, type CamerasFile } from './schema';
import { substituteEnvVars } from './env-vars';
import { formatIssues, formatPath } from './format-issues';

export type ConfigResult = { ok: true; config: CamerasFile } | { ok: false; errors: string[] };

const JSON_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," (or a closing bracket)',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected content after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

/**
 * Parses and validates the text of a cameras file. Pure: the environment comes in as an argument.
 * Error lines never quote the file's text, since source URLs may carry passwords.
 */
export function parseCamerasText(
  text: string,
  fileLabel: string,
  env: Readonly<Record<string, string | undefined>>,
): ConfigResult {
  if (text.trim() === '') {
    return { ok: false, errors: [`${fileLabel}: the file is empty; expected {"cameras": [ … ]}`] };
  }

  const syntaxErrors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false });
  if (syntaxErrors.length > 0) {
    const first = syntaxErrors[0]!;
    const { line, column } = lineAndColumn(text, first.offset);
    const problem = JSON_PROBLEMS[printParseErrorCode(first.error)] ?? 'invalid JSON';
    return { ok: false, errors: [`${fileLabel}: line ${line}, column ${column}: ${problem}`] };
  }

  const { value, missing } = substituteEnvVars(raw, env);
  const errors = missing.map(
    ({ path, name }) => `${fileLabel}: ${formatPath(path, raw)}: environment variable ${name} is not set`,
  );

  const parsed = camerasFileSchema.safeParse(value);
  if (!parsed.success) errors.push(...formatIssues(fileLabel, parsed.error.issues, raw));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, config: parsed.data };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * HTTP-style authentication as RTSP cameras use it (RFC 2326 §D, RFC 2617, RFC 7616): reading the
 * WWW-Authenticate challenges of a 401, choosing one, and writing the Authorization value that
 * answers it. No IO; the only Node API is the hash.
 */
import { createHash } from 'node:crypto';
import { RtspError } from './rtsp-error';

export type AuthChallenge = {
  scheme: 'basic' | 'digest';
  realm: string;
  nonce?: string;
  opaque?: string;
  /** As the server spelled it, to be echoed back the same way. */
  algorithm?: string;
  /** Lower case, e.g. ['auth', 'auth-int']. */
  qop?: string[];
  stale?: boolean;
};

export type Credentials = { username: string; password: string };

/**
 * The challenges in WWW-Authenticate values, in order. One value may hold several challenges
 * (RFC 7235 §4.1); schemes other than Basic and Digest, and a Digest without a nonce, are dropped.
 */
export function parseAuthenticate(values: string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of values) {
    for (const { scheme, params } of splitChallenges(value)) {
      const challenge = challengeOf(scheme, params);
      if (challenge) challenges.push(challenge);
    }
  }
  return challenges;
}

/**
 * The challenge to answer: the first Digest this code can compute (MD5 or SHA-256, qop absent or
 * offering auth), else the first Basic. Digest wins because Basic sends the password in clear
 * text; among Digests the server's order is its preference (RFC 7616 §3.7).
 */
export function pickChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((challenge) => challenge.scheme === 'digest' && digestProblem(challenge) === undefined) ?? challenges.find((challenge) => challenge.scheme === 'basic');
}

/**
 * The Authorization value answering `challenge` for one request. `uri` is the request URL exactly
 * as it is sent on the request line: the server hashes what it received. `nonceCount` counts the
 * requests made with this nonce, from 1; `cnonce` is the client's random nonce (used with qop only).
 */
export function authorization(challenge: AuthChallenge, credentials: Credentials, method: string, uri: string, nonceCount: number, cnonce: string): string {
  if (challenge.scheme === 'basic') return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;

  const problem = digestProblem(challenge);
  if (problem !== undefined) throw new RtspError(`cannot answer the Digest challenge of realm ${JSON.stringify(challenge.realm)}: ${problem}`);
  if (!Number.isInteger(nonceCount) || nonceCount < 1 || nonceCount > 0xffffffff) throw new RtspError(`nonce count ${nonceCount} is not between 1 and 2^32-1`);

  const hash = (text: string) => createHash(hashName(challenge.algorithm)).update(text, 'utf8').digest('hex');
  const nonce = challenge.nonce ?? '';
  const ha1 = hash(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = hash(`${method}:${uri}`);
  const withQop = challenge.qop !== undefined && challenge.qop.length > 0;
  const nc = nonceCount.toString(16).padStart(8, '0');
  // RFC 2617 §3.2.2.1: without qop the RFC 2069 form, which most cameras still send.
  const response = withQop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);

  const fields = [`username=${quoted(credentials.username)}`, `realm=${quoted(challenge.realm)}`, `nonce=${quoted(nonce)}`, `uri=${quoted(uri)}`, `response="${response}"`];
  if (challenge.algorithm !== undefined) fields.push(`algorithm=${challenge.algorithm}`);
  if (challenge.opaque !== undefined) fields.push(`opaque=${quoted(challenge.opaque)}`);
  if (withQop) fields.push('qop=auth', `nc=${nc}`, `cnonce=${quoted(cnonce)}`);
  return `Digest ${fields.join(', ')}`;
}

/** Why this code cannot answer a Digest challenge, or undefined when it can. */
function digestProblem(challenge: AuthChallenge): string | undefined {
  const algorithm = challenge.algorithm?.toUpperCase();
  if (algorithm !== undefined && algorithm !== 'MD5' && algorithm !== 'SHA-256') return `algorithm ${challenge.algorithm} is not supported (only MD5 and SHA-256)`;
  // auth-int would hash the body; offered alone, it is not something a client without one should guess at.
  if (challenge.qop !== undefined && challenge.qop.length > 0 && !challenge.qop.includes('auth')) return `qop ${challenge.qop.join(',')} does not offer auth`;
  return undefined;
}

function hashName(algorithm: string | undefined): 'md5' | 'sha256' {
  return algorithm?.toUpperCase() === 'SHA-256' ? 'sha256' : 'md5';
}

function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

function challengeOf(scheme: string, params: Map<string, string>): AuthChallenge | undefined {
  const realm = params.get('realm') ?? '';
  if (scheme === 'basic') return { scheme: 'basic', realm };
  if (scheme !== 'digest') return undefined;
  const nonce = params.get('nonce');
  if (nonce === undefined) return undefined;
  const challenge: AuthChallenge = { scheme: 'digest', realm, nonce };
  const opaque = params.get('opaque');
  const algorithm = params.get('algorithm');
  const qop = params.get('qop');
  const stale = params.get('stale');
  if (opaque !== undefined) challenge.opaque = opaque;
  if (algorithm !== undefined) challenge.algorithm = algorithm;
  if (qop !== undefined) challenge.qop = qop.split(',').map((option) => option.trim().toLowerCase()).filter((option) => option !== '');
  if (stale !== undefined) challenge.stale = stale.toLowerCase() === 'true';
  return challenge;
}

type RawChallenge = { scheme: string; params: Map<string, string> };

/**
 * Splits `Digest realm="a, b", nonce=x, Basic realm="c"` into its challenges. A word not followed
 * by `=` starts a new challenge; commas inside quoted strings belong to the value.
 */
function splitChallenges(value: string): RawChallenge[] {
  const challenges: RawChallenge[] = [];
  let at = 0;
  const skip = (pattern: RegExp) => {
    while (at < value.length && pattern.test(value[at]!)) at++;
  };
  while (at < value.length) {
    skip(/[\s,]/);
    const start = at;
    while (at < value.length && !/[\s,=]/.test(value[at]!)) at++;
    const word = value.slice(start, at);
    if (word === '') {
      at++;
      continue;
    }
    skip(/[ \t]/);
    if (value[at] !== '=') {
      challenges.push({ scheme: word.toLowerCase(), params: new Map() });
      continue;
    }
    at++;
    skip(/[ \t]/);
    let paramValue: string;
    if (value[at] === '"') {
      at++;
      paramValue = '';
      while (at < value.length && value[at] !== '"') {
        if (value[at] === '\\' && at + 1 < value.length) at++;
        paramValue += value[at];
        at++;
      }
      at++;
    } else {
      const valueStart = at;
      while (at < value.length && !/[\s,]/.test(value[at]!)) at++;
      paramValue = value.slice(valueStart, at);
    }
    // A token68 credential (`Negotiate abc==`) lands here as a parameter of no challenge or of an
    // unknown scheme, and is dropped with it.
    challenges[challenges.length - 1]?.params.set(word.toLowerCase(), paramValue);
  }
  return challenges;
}

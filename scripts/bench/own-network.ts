import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * A slow link, on loopback, without touching the machine's own network: the process runs again in
 * a network namespace of its own (`unshare -n`, root only), whose loopback gets an Ethernet MTU
 * and a shaper for the packets to one local port. Everything else in that namespace (the cameras,
 * the server, the other viewers) keeps the full speed of loopback.
 */
const OWN_NETWORK_ENV = 'CAMDASH_OWN_NETWORK';

export function inOwnNetwork(): boolean {
  return process.env[OWN_NETWORK_ENV] === '1';
}

/** Runs `command` (this script again) in a new network namespace; its exit status, or why it cannot. */
export function rerunInOwnNetwork(command: readonly string[]): { status: number } | { missing: string } {
  if (process.getuid?.() !== 0) return { missing: 'a network namespace of its own needs root' };
  const result = spawnSync('unshare', ['-n', '--', ...command], {
    stdio: 'inherit',
    env: { ...process.env, [OWN_NETWORK_ENV]: '1' },
  });
  if (result.error) return { missing: `unshare -n failed: ${result.error.message}` };
  return { status: result.status ?? 1 };
}

/** The command that runs a TypeScript script as `npm run bench` does (jiti). */
export function jitiCommand(script: string): string[] {
  const jiti = path.join(path.dirname(createRequire(__filename).resolve('jiti/package.json')), 'lib/jiti-cli.mjs');
  return [process.execPath, jiti, script];
}

/** The new namespace's loopback is down; up, with the MTU of the Ethernet and Wi-Fi a viewer is on. */
export function setUpLoopback(): void {
  execFileSync('ip', ['link', 'set', 'lo', 'up', 'mtu', '1500']);
}

/** Data in a full-size TCP segment (with timestamps) in the 1500 bytes of a packet on the link. */
export const SEGMENT_DATA_BYTES = 1448;
const WIRE_BYTES_PER_DATA_BYTE = 1500 / SEGMENT_DATA_BYTES;

/**
 * Shapes what is sent to `port` (the slow viewer's own port) to `dataBytesPerSecond` of TCP data,
 * behind a queue of 100 packets, as a Wi-Fi access point or a home router keeps. Returns the undo.
 */
export function shapeLoopbackPort(port: number, dataBytesPerSecond: number): () => void {
  const tc = (...args: string[]) => execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const bitsPerSecond = Math.ceil(dataBytesPerSecond * WIRE_BYTES_PER_DATA_BYTE * 8);
  // Loopback hands TCP 64 KB super-packets, which a shaper lets through whole, a second's worth
  // at once: packets of the MTU, as a real link carries, for connections opened from now on.
  const [lo] = JSON.parse(execFileSync('ip', ['-j', '-d', 'link', 'show', 'lo'], { encoding: 'utf8' })) as [{ gso_max_size?: number }];
  const gsoMaxSize = String(lo.gso_max_size ?? 65536);
  execFileSync('ip', ['link', 'set', 'lo', 'gso_max_size', '1500']);
  tc('qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '10');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit', 'quantum', '60000');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:20', 'htb', 'rate', `${bitsPerSecond}bit`, 'ceil', `${bitsPerSecond}bit`, 'burst', '3k', 'quantum', '1500');
  tc('qdisc', 'add', 'dev', 'lo', 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '100');
  tc('filter', 'add', 'dev', 'lo', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dport', String(port), '0xffff', 'flowid', '1:20');
  return () => {
    tc('qdisc', 'del', 'dev', 'lo', 'root');
    execFileSync('ip', ['link', 'set', 'lo', 'gso_max_size', gsoMaxSize]);
  };
}


import { currentRequestSocket } from '../server/request-context';
import { loadSendQueueProbe, type SendQueueProbe } from '../server/send-queue';
import type { Pace } from '../capture/latest-frame-slot';
import { linkPace } from './link-pacing';

let probe: SendQueueProbe | null | undefined;

function sendQueueProbe(): SendQueueProbe | null {
  if (probe === undefined) {
    const loaded = loadSendQueueProbe();
    probe = 'probe' in loaded ? loaded.probe : null;
  }
  return probe;
}

/**
 * The pace of the stream of the request being handled, by its connection's queue, where the
 * connection and the native probe are known (see lib/server/request-context.ts); none otherwise.
 */
export function viewerPace(signal: AbortSignal): Pace | undefined {
  const socket = currentRequestSocket();
  const probe = sendQueueProbe();
  if (!socket || !probe) return undefined;
  return linkPace(
    { queuedBytes: () => probe.queuedBytes(socket), sendQueue: () => probe.sendQueue(socket) },
    () => signal.aborted || socket.destroyed,
  );
}

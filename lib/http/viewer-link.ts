import { currentRequestSocket } from '../server/request-socket';
import { loadSendQueueProbe, type SendQueueProbe } from '../server/send-queue';
import { linkGate, OPEN_GATE, type LinkGate } from './link-pacing';

let probe: SendQueueProbe | null | undefined;

function sendQueueProbe(): SendQueueProbe | null {
  if (probe === undefined) {
    const loaded = loadSendQueueProbe();
    probe = 'probe' in loaded ? loaded.probe : null;
  }
  return probe;
}

/**
 * The gate for the stream of the request being handled: paced by its connection's queue where the
 * connection and the native probe are known (see lib/server/request-socket.ts), open otherwise.
 */
export function viewerLinkGate(signal: AbortSignal): LinkGate {
  const socket = currentRequestSocket();
  const read = sendQueueProbe();
  if (!socket || !read) return OPEN_GATE;
  return linkGate(() => read(socket), () => signal.aborted || socket.destroyed);
}

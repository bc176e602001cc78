import type { StreamState } from '@/lib/cameras/display-status';
import type { MultipartPart } from '@/lib/mjpeg/multipart-reader';
import { fragmentStart } from '@/lib/fmp4/fragment-start';
import { MsePlayer, type MsePlayerState } from './mse-player';

/** What the last init segment said of the video: the codec string and the coded size. */
export type VideoFormat = { codec: string; width: number | null; height: number | null };

/** A player stalled this long (on top of its own 3 s without a frame) is given up for MJPEG. */
export const FALLBACK_AFTER_STALL_MS = 3_000;

export type VideoPartsEvents = {
  /** What the viewer sees of the stream: frames on screen (`receiving`), none for a while, none yet. */
  onState(state: StreamState): void;
  onFormat(format: VideoFormat): void;
  /** Once: the camera is to be watched as MJPEG for this page visit, and why. Nothing plays after it. */
  onFallback(reason: string): void;
  /** Frames came without the init they need: asked again, the server starts with the init. */
  onMissingInit(): void;
  /** Each new frame on screen. */
  onFrame?(): void;
  /** Just before a player lets go of the video (which then goes blank), while its picture is still there to copy. */
  onPlayerGone?(video: HTMLVideoElement): void;
};

/**
 * A camera's video as multipart parts (`X-Video`: init, fragment, ended), played in one <video>
 * through an MsePlayer: the camera page reads them from /api/cameras/<id>/video, a grid tile from
 * the grid's one connection. Each init starts a player, as a player plays one stream, except a
 * new connection to the stream the player plays (the grid connects again whenever the tiles on
 * screen change): it resends the init and the frames since the last keyframe, and the playing
 * player goes on with it, without a blank. What cannot play here (a codec this browser lacks, a
 * player that failed or stays stalled) ends the video for good, with a reason: the viewer then
 * shows MJPEG.
 */
export class VideoPartsPlayer {
  private player: MsePlayer | undefined;
  // Whether `player` is fed by the stream now. One whose stream ended (the camera's connection
  // failed, or the response) keeps its last picture on screen, as the canvas does for MJPEG, but
  // is no longer listened to: no frame coming is then no stall to fall back from.
  private fed = false;
  // An init came while the player plays: the fragment after it tells whether the player goes on.
  private rejoining: { init: Uint8Array; codec: string } | undefined;
  // The newest keyframe fed to `player` (moof+mdat). The same stream joined again resends it byte
  // for byte; a camera's restarted connection, whose init may well be the same bytes, does not:
  // its timestamps start again and its picture is another.
  private newestKeyframe: Uint8Array | undefined;
  // The init `player` was started with.
  private playerInit: Uint8Array | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private state: StreamState = 'connecting';
  private fallbackReason: string | null = null;
  private disposed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly events: VideoPartsEvents,
  ) {}

  /** Why this camera is to be watched as MJPEG instead; null while its video plays or may yet play. */
  get fallback(): string | null {
    return this.fallbackReason;
  }

  take({ headers, body }: MultipartPart): void {
    if (this.disposed || this.fallbackReason !== null) return;
    switch (headers['x-video']) {
      case 'init': {
        const codec = headers['x-codec'] ?? '';
        if (!MsePlayer.canPlay(codec)) return this.fallBack(`this browser cannot play ${codec || 'this video'}`);
        this.events.onFormat({ codec, width: dimension(headers['x-width']), height: dimension(headers['x-height']) });
        const current = this.player;
        if (current && (current.state === 'playing' || current.state === 'starting') && this.newestKeyframe) {
          this.rejoining = { init: body, codec };
          this.fed = true;
          return;
        }
        return this.startPlayer(body, codec);
      }
      case 'fragment':
        return this.takeFragment(body, headers);
      case 'ended':
        // The camera's connection failed; the server sends a new init when it is back.
        return this.streamEnded();
    }
  }

  /** The stream stopped feeding this video (its response ended, the camera's connection failed): the picture stays. */
  streamEnded(): void {
    this.fed = false;
    this.rejoining = undefined;
    clearTimeout(this.stallTimer);
    if (this.state === 'receiving') this.setState('stalled');
  }

  /** The viewer leaves the stream (a tile off screen, a hidden tab): the player goes; a later init starts a new one. */
  stop(): void {
    this.disposePlayer();
    this.setState('connecting');
  }

  fallBack(reason: string): void {
    if (this.disposed || this.fallbackReason !== null) return;
    this.fallbackReason = reason;
    this.disposePlayer();
    this.events.onFallback(reason);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposePlayer();
  }

  private takeFragment(fragment: Uint8Array, headers: Record<string, string>): void {
    const player = this.player;
    // Frames without the init they need (one joined as the camera was connecting, say) are of no use.
    if (!this.fed || !player) return this.events.onMissingInit();
    const rejoining = this.rejoining;
    this.rejoining = undefined;
    const keyframe = headers['x-keyframe'] === '1';
    if (rejoining && !(keyframe && this.continuesPlayed(fragment, rejoining.init))) {
      return this.startPlayer(rejoining.init, rejoining.codec, { fragment, keyframe });
    }
    this.feed(player, fragment, keyframe);
  }

  /**
   * Whether a stream joined again goes on with what the player plays: it resends the keyframe the
   * player has, or one the old connection did not bring (it came while the grid changed
   * connections; the player jumps over the gap) of the same run: the same init, later in time. A
   * camera's restarted connection, whose init may well be the same bytes, starts its clock again.
   */
  private continuesPlayed(keyframe: Uint8Array, init: Uint8Array): boolean {
    const newest = this.newestKeyframe;
    if (!newest) return false;
    if (sameBytes(keyframe, newest)) return true;
    if (!this.playerInit || !sameBytes(init, this.playerInit)) return false;
    const at = fragmentStart(keyframe)?.decodeTime;
    const newestAt = fragmentStart(newest)?.decodeTime;
    return at !== undefined && newestAt !== undefined && at > newestAt;
  }

  /** Frames the player has already (a stream joined again) are skipped by it. */
  private feed(player: MsePlayer, fragment: Uint8Array, keyframe: boolean): void {
    if (keyframe) this.newestKeyframe = fragment;
    player.append(fragment);
  }

  private startPlayer(init: Uint8Array, codec: string, first?: { fragment: Uint8Array; keyframe: boolean }): void {
    this.disposePlayer();
    const next: MsePlayer = new MsePlayer(this.video, {
      onState: (playerState, reason) => {
        if (next === this.player && this.fed) this.onPlayerState(playerState, reason);
      },
      onFrame: () => this.events.onFrame?.(),
    });
    this.player = next;
    this.playerInit = init;
    this.fed = true;
    next.start(init, codec);
    if (first && this.player === next) this.feed(next, first.fragment, first.keyframe);
  }

  private onPlayerState(playerState: MsePlayerState, reason: string | undefined): void {
    clearTimeout(this.stallTimer);
    if (playerState === 'playing') this.setState('receiving');
    if (playerState === 'failed') this.fallBack(reason ?? 'the video player failed');
    if (playerState === 'stalled') {
      this.setState('stalled');
      this.giveUpUnlessPlaying(`the video stalled: ${reason ?? 'no new frame'}`);
    }
  }

  // A hidden tab's video is paused on purpose: it is judged once it can be seen again.
  private giveUpUnlessPlaying(reason: string): void {
    this.stallTimer = setTimeout(() => {
      if (document.visibilityState === 'visible') this.fallBack(reason);
      else this.giveUpUnlessPlaying(reason);
    }, FALLBACK_AFTER_STALL_MS);
  }

  private disposePlayer(): void {
    this.streamEnded();
    this.newestKeyframe = undefined;
    this.playerInit = undefined;
    const player = this.player;
    if (!player) return;
    this.player = undefined;
    this.events.onPlayerGone?.(this.video);
    player.dispose();
  }

  private setState(state: StreamState): void {
    if (this.disposed || state === this.state) return;
    this.state = state;
    this.events.onState(state);
  }
}

function dimension(header: string | undefined): number | null {
  const value = Number(header);
  return Number.isInteger(value) && value > 0 ? value : null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

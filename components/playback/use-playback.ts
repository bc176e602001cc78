'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Span } from '@/lib/recording/types';
import { VodPlayer, type VodState } from './vod-player';

export const RATES = [1, 2, 4, 8] as const;

export type Playback = {
  videoRef(video: HTMLVideoElement | null): void;
  clock: number | undefined;
  state: VodState | undefined;
  reason: string | undefined;
  rate: number;
  playing: boolean;
  seek(clock: number): void;
  setRate(rate: number): void;
  togglePlay(): void;
};

/** One VodPlayer for the page's <video>: its clock, state and controls as React state. */
export function usePlayback(camera: string, spans: readonly Span[]): Playback {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [clock, setClock] = useState<number | undefined>();
  const [state, setState] = useState<{ state: VodState | undefined; reason?: string | undefined }>({ state: undefined });
  const [rate, setRateState] = useState(1);
  const [playing, setPlaying] = useState(true);
  const player = useRef<VodPlayer | null>(null);
  // The last seek and rate asked for: a player made later (the <video> came after, or React made it
  // again) starts there.
  const wanted = useRef<{ at: number | undefined; rate: number }>({ at: undefined, rate: 1 });
  const spansRef = useRef(spans);
  useEffect(() => {
    spansRef.current = spans;
  }, [spans]);

  useEffect(() => {
    if (!video) return;
    const created = new VodPlayer(video, {
      mediaUrl: (at) => `/api/recordings/${encodeURIComponent(camera)}/media?at=${Math.round(at)}`,
      spans: () => spansRef.current,
      onState: (next, reason) => setState({ state: next, reason }),
      onClock: setClock,
    });
    player.current = created;
    created.setRate(wanted.current.rate);
    if (wanted.current.at !== undefined) created.seek(wanted.current.at);
    return () => {
      created.dispose();
      if (player.current === created) player.current = null;
    };
  }, [video, camera]);

  const seek = useCallback((to: number) => {
    wanted.current.at = to;
    player.current?.seek(to);
  }, []);

  const setRate = useCallback((next: number) => {
    wanted.current.rate = next;
    setRateState(next);
    player.current?.setRate(next);
  }, []);

  const togglePlay = useCallback(() => {
    const current = player.current;
    if (!current) return;
    if (current.playing) current.pause();
    else current.play();
    setPlaying(current.playing);
  }, []);

  return { videoRef: setVideo, clock, state: state.state, reason: state.reason, rate, playing, seek, setRate, togglePlay };
}

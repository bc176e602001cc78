'use client';

import { useEffect, useState } from 'react';
import { lastRecordedMinute } from './buffer-plan';
import { DayPicker } from './day-picker';
import { ExportPanel } from './export-panel';
import { defaultExportRange, type ExportRange } from './export-range';
import { dayOf, type Day } from './local-day';
import { PlaybackClock } from './playback-clock';
import { PlaybackControls } from './playback-controls';
import { PlaybackPicture } from './playback-picture';
import { BUTTON } from './styles';
import { Timeline } from './timeline';
import { usePlayback } from './use-playback';
import { latestSpans, useRecorded } from './use-recorded';

/** The picture, controls, timeline and export of one camera's footage; client-only (local time). */
export function PlaybackBody({ camera, initialAt }: { camera: string; initialAt: number | undefined }) {
  const [day, setDay] = useState<Day>(() => dayOf(initialAt ?? Date.now()));
  // The day follows the picture (across midnight, to a seek's day) until a day is picked by hand.
  const [followDay, setFollowDay] = useState(true);
  const [opening, setOpening] = useState<string | undefined>(initialAt === undefined ? 'Looking for the last recorded minute…' : undefined);
  const [exportRange, setExportRange] = useState<Partial<ExportRange> | undefined>();
  const recorded = useRecorded(camera, day);
  const playback = usePlayback(camera, recorded.spans);
  const { clock, seek } = playback;

  useEffect(() => {
    if (initialAt !== undefined) return seek(initialAt);
    const controller = new AbortController();
    latestSpans(camera, Date.now(), controller.signal).then(
      (spans) => {
        const at = lastRecordedMinute(spans);
        setOpening(at === undefined ? 'Nothing was recorded in the last 7 days.' : undefined);
        if (at !== undefined) {
          setDay(dayOf(at));
          seek(at);
        }
      },
      (error: Error) => !controller.signal.aborted && setOpening(`Could not look up the recordings: ${error.message}`),
    );
    return () => controller.abort();
  }, [camera, initialAt, seek]);

  useEffect(() => {
    if (followDay && clock !== undefined && (clock < day.start || clock >= day.end)) setDay(dayOf(clock));
  }, [followDay, clock, day]);

  const seekTo = (at: number) => {
    setFollowDay(true);
    setOpening(undefined);
    seek(at);
  };

  return (
    <>
      <PlaybackPicture camera={camera} playback={playback} message={opening} />
      <div className="space-y-2 px-3 py-2 sm:px-4">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <PlaybackControls playback={{ ...playback, seek: seekTo }} events={recorded.events} />
          <PlaybackClock clock={clock} />
          <button
            type="button"
            aria-expanded={exportRange !== undefined}
            onClick={() => setExportRange(exportRange ? undefined : defaultExportRange(clock ?? day.start))}
            className={`${BUTTON} ml-auto`}
          >
            Export…
          </button>
        </div>
        {exportRange && <ExportPanel camera={camera} range={exportRange} onRange={setExportRange} onClose={() => setExportRange(undefined)} />}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <DayPicker
            day={day}
            today={dayOf(Date.now())}
            onDay={(picked) => {
              setFollowDay(false);
              setDay(picked);
            }}
          />
          {recorded.problem && (
            <span role="alert" className="text-xs text-red-300">
              {recorded.problem}
            </span>
          )}
          {recorded.loaded && recorded.spans.every((span) => span.end <= day.start || span.start >= day.end) && (
            <span data-no-footage className="text-xs text-neutral-500">
              Nothing recorded this day.
            </span>
          )}
        </div>
        <Timeline
          key={day.start}
          day={day}
          spans={recorded.spans}
          events={recorded.events}
          cursor={clock}
          onSeek={seekTo}
          selection={exportRange?.from !== undefined && exportRange.to !== undefined ? (exportRange as ExportRange) : undefined}
          onSelect={exportRange ? (from, to) => setExportRange({ from, to }) : undefined}
        />
      </div>
    </>
  );
}

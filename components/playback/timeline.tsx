'use client';

import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { EventJson } from '@/lib/events/event-json';
import type { Span } from '@/lib/recording/types';
import { formatDuration } from '../events/event-format';
import { formatTime, type Day } from './local-day';
import { clampLevel, followView, layoutBars, ticks, timeAtX, viewAt, ZOOM_LEVELS_MS, type View } from './timeline-geometry';
import { TimelineZoom } from './timeline-zoom';

type Props = {
  day: Day;
  spans: readonly Span[];
  events: readonly EventJson[];
  /** The clock of the picture shown. */
  cursor: number | undefined;
  onSeek(clock: number): void;
  /** The export's stretch, drawn over the bar. */
  selection?: { from: number; to: number } | undefined;
  /** Given while the export panel is open: a drag then picks the export's stretch instead of seeking. */
  onSelect?: ((from: number, to: number) => void) | undefined;
};

// A drag begins once the pointer has moved this far: less is a click with a shaky hand.
const DRAG_PX = 4;
// Events and spans a few seconds long would be invisible on a day-wide bar.
const MIN_EVENT_WIDTH = 0.003;
const MIN_SPAN_WIDTH = 0.002;
// Labels this close to an end of the bar would be cut off there.
const LABEL_MARGIN = 0.03;

type Drag = { startX: number; start: number; moved: boolean };

/** The day's footage as a bar: recorded spans, motion events, the picture's cursor; click or drag to seek, wheel or buttons to zoom. */
export function Timeline({ day, spans, events, cursor, onSeek, selection, onSelect }: Props) {
  const bar = useRef<HTMLDivElement>(null);
  const [{ level, view }, setZoom] = useState<{ level: number; view: View }>(() => ({ level: 0, view: viewAt(day, 0, cursor ?? day.start) }));
  const [hover, setHover] = useState<{ x: number; at: number } | undefined>();
  const [drag, setDrag] = useState<Drag | undefined>();
  const [scrub, setScrub] = useState<number | undefined>();

  // Zoomed in, the view follows the picture when it plays off the edge.
  useEffect(() => {
    if (cursor === undefined || drag || cursor < day.start || cursor >= day.end) return;
    setZoom((current) => {
      const followed = followView(day, current.level, current.view, cursor);
      return followed === current.view ? current : { ...current, view: followed };
    });
  }, [cursor, day, drag]);

  /** One level in (+1) or out (-1) around `around`, or by default around the picture when it is on the bar. */
  const zoomBy = (step: number, around?: number) =>
    setZoom((current) => {
      const next = clampLevel(current.level + step);
      const onBar = cursor !== undefined && cursor >= current.view.from && cursor <= current.view.to;
      return { level: next, view: viewAt(day, next, around ?? (onBar ? cursor : (current.view.from + current.view.to) / 2)) };
    });

  // React's wheel listeners are passive; the page must not scroll while the bar zooms.
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY === 0) return;
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const x = event.clientX - box.left;
      setZoom((current) => {
        const next = clampLevel(current.level + (event.deltaY < 0 ? 1 : -1));
        // The moment under the pointer stays under it.
        const around = timeAtX(current.view, x, box.width);
        const width = Math.min(ZOOM_LEVELS_MS[next]!, day.end - day.start);
        return { level: next, view: viewAt(day, next, around - (x / box.width) * width + width / 2) };
      });
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [day]);

  const timeAt = (event: PointerEvent) => {
    const box = bar.current!.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - box.left, 0), box.width);
    return { x, at: timeAtX(view, x, box.width) };
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, at } = timeAt(event);
    setDrag({ startX: x, start: at, moved: false });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const point = timeAt(event);
    setHover(point);
    if (!drag) return;
    const moved = drag.moved || Math.abs(point.x - drag.startX) >= DRAG_PX;
    if (moved !== drag.moved) setDrag({ ...drag, moved });
    if (!moved) return;
    if (onSelect) onSelect(Math.min(drag.start, point.at), Math.max(drag.start, point.at));
    else setScrub(point.at);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    const { at } = timeAt(event);
    setDrag(undefined);
    setScrub(undefined);
    if (drag.moved && onSelect) onSelect(Math.min(drag.start, at), Math.max(drag.start, at));
    else onSeek(at);
  };

  const spanBars = useMemo(() => layoutBars(view, spans, MIN_SPAN_WIDTH), [view, spans]);
  const eventBars = useMemo(
    () => layoutBars(view, events.map((event) => ({ start: event.startedAt, end: event.endedAt ?? event.lastSeenAt, event })), MIN_EVENT_WIDTH),
    [view, events],
  );
  const tickMarks = useMemo(() => ticks(view, day).filter((tick) => tick.fraction >= LABEL_MARGIN && tick.fraction <= 1 - LABEL_MARGIN), [view, day]);
  const shownCursor = scrub ?? cursor;
  const cursorFraction = shownCursor === undefined ? undefined : (shownCursor - view.from) / (view.to - view.from);
  const selectionBar = selection ? layoutBars(view, [{ start: selection.from, end: selection.to }])[0] : undefined;

  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between gap-2 text-xs text-neutral-400">
        <span data-timeline-range>
          {formatDuration(view.to - view.from)} · {formatTime(view.from)} – {formatTime(view.to)}
        </span>
        <TimelineZoom level={level} levels={ZOOM_LEVELS_MS.length} onZoom={zoomBy} />
      </div>
      {/* The events' lane: each a button of its own, so that a click plays that event and does not seek where it was clicked. */}
      <div className="relative h-3" data-timeline-events>
        {eventBars.map(({ item: { event }, left, width }) => (
          <button
            key={event.id}
            type="button"
            data-timeline-event={event.id}
            title={`Motion at ${formatTime(event.startedAt)}`}
            onClick={() => onSeek(event.startedAt)}
            className="absolute top-0 h-3 min-w-1 rounded-sm bg-amber-400/80 hover:bg-amber-300"
            style={{ left: `${left * 100}%`, width: `${width * 100}%` }}
          />
        ))}
      </div>
      <div
        ref={bar}
        data-timeline
        data-from={Math.round(view.from)}
        data-to={Math.round(view.to)}
        role="slider"
        aria-label="Timeline: click or drag to seek"
        aria-valuemin={Math.round(view.from)}
        aria-valuemax={Math.round(view.to)}
        aria-valuenow={cursor === undefined ? undefined : Math.round(cursor)}
        aria-valuetext={cursor === undefined ? undefined : formatTime(cursor)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (setDrag(undefined), setScrub(undefined))}
        onPointerLeave={() => setHover(undefined)}
        onKeyDown={(event) => {
          // A hundredth of the bar a press, a tenth with Shift: the keyboard's way to seek.
          const step = ((view.to - view.from) / 100) * (event.shiftKey ? 10 : 1);
          const direction = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
          if (direction === 0 || cursor === undefined) return;
          event.preventDefault();
          onSeek(cursor + direction * step);
        }}
        className="relative h-10 cursor-pointer touch-none select-none overflow-hidden rounded bg-neutral-900 ring-1 ring-neutral-800"
      >
        {spanBars.map(({ item, left, width }) => (
          <div key={item.start} data-timeline-span className="absolute inset-y-2 bg-sky-600/70" style={{ left: `${left * 100}%`, width: `${width * 100}%` }} />
        ))}
        {selectionBar && (
          <div data-timeline-selection className="absolute inset-y-0 bg-emerald-400/25 ring-1 ring-emerald-400/70" style={{ left: `${selectionBar.left * 100}%`, width: `${selectionBar.width * 100}%` }} />
        )}
        {cursorFraction !== undefined && cursorFraction >= 0 && cursorFraction <= 1 && (
          <div data-timeline-cursor className="pointer-events-none absolute inset-y-0 w-0.5 -translate-x-1/2 bg-white" style={{ left: `${cursorFraction * 100}%` }} />
        )}
        {hover && (
          <div className="pointer-events-none absolute top-0 -translate-x-1/2 rounded bg-black/80 px-1 font-mono text-[10px] text-white" style={{ left: hover.x }}>
            {formatTime(hover.at)}
          </div>
        )}
      </div>
      <div className="relative h-4 text-[10px] text-neutral-500">
        {tickMarks.map((tick) => (
          <span key={tick.at} className="absolute -translate-x-1/2 whitespace-nowrap" style={{ left: `${tick.fraction * 100}%` }}>
            {tick.label}
          </span>
        ))}
      </div>
    </div>
  );
}

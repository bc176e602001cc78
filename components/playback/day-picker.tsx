'use client';

import { useHydrated } from '../events/use-hydrated';
import { dayAfter, dayLabel, type Day } from './local-day';
import { SMALL_BUTTON } from './styles';

/** The day the timeline shows, a day back or on at a time; never a day that has not begun. */
export function DayPicker({ day, today, onDay }: { day: Day; today: Day; onDay(day: Day): void }) {
  // The day's name is the browser's (its time zone and language), written once the page runs there.
  const hydrated = useHydrated();
  return (
    <div className="flex items-center gap-1 text-sm">
      <button type="button" aria-label="Previous day" title="Previous day" onClick={() => onDay(dayAfter(day, -1))} className={SMALL_BUTTON}>
        ‹
      </button>
      <span data-day={day.start} className="min-w-36 text-center text-neutral-200">
        {hydrated ? dayLabel(day) : ''}
      </span>
      <button type="button" aria-label="Next day" title="Next day" disabled={day.start >= today.start} onClick={() => onDay(dayAfter(day, 1))} className={SMALL_BUTTON}>
        ›
      </button>
      {day.start !== today.start && (
        <button type="button" onClick={() => onDay(today)} className={SMALL_BUTTON}>
          Today
        </button>
      )}
    </div>
  );
}

'use client';

import { formatDuration } from '../events/event-format';
import { exportProblem, type ExportRange } from './export-range';
import { fromLocalInput, toLocalInput } from './local-day';
import { exportPath } from './open-at';
import { BUTTON } from './styles';

type Props = { camera: string; range: Partial<ExportRange>; onRange(range: Partial<ExportRange>): void; onClose(): void };

const INPUT = 'rounded bg-neutral-900 px-2 py-1 text-sm text-neutral-100 ring-1 ring-neutral-700 [color-scheme:dark]';

/** Start and end of an MP4 to download: typed here, or dragged on the timeline while this is open. */
export function ExportPanel({ camera, range, onRange, onClose }: Props) {
  const problem = exportProblem(range);
  return (
    <section data-export-panel aria-label="Export" className="flex flex-wrap items-end gap-3 rounded-lg bg-neutral-900 p-3 ring-1 ring-neutral-800">
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        Start
        <input
          type="datetime-local"
          step={1}
          data-export-from
          value={range.from === undefined ? '' : toLocalInput(range.from)}
          onChange={(event) => onRange({ ...range, from: fromLocalInput(event.target.value) })}
          className={INPUT}
        />
      </label>
      <label className="flex flex-col gap-1 text-xs text-neutral-400">
        End
        <input
          type="datetime-local"
          step={1}
          data-export-to
          value={range.to === undefined ? '' : toLocalInput(range.to)}
          onChange={(event) => onRange({ ...range, to: fromLocalInput(event.target.value) })}
          className={INPUT}
        />
      </label>
      <p className="pb-1 text-xs text-neutral-400">{problem ? <span role="alert" className="text-amber-300">{problem}</span> : formatDuration(range.to! - range.from!)} · or drag on the timeline</p>
      <div className="ml-auto flex gap-2">
        {problem ? (
          <span className={`${BUTTON} cursor-not-allowed opacity-40`}>Download MP4</span>
        ) : (
          <a data-export-link href={exportPath(camera, range.from!, range.to!)} download className={`${BUTTON} bg-sky-700 hover:bg-sky-600`}>
            Download MP4
          </a>
        )}
        <button type="button" onClick={onClose} className={BUTTON}>
          Close
        </button>
      </div>
    </section>
  );
}

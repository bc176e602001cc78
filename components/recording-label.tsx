import type { PublicCamera } from '@/lib/cameras/public-camera';

type Recording = NonNullable<PublicCamera['recording']>;

/** What recording does now, in words: the camera page says it, a tile's badge carries it as its title. */
export function recordingText(recording: Recording): string {
  const mode = recording.mode === 'motion' ? 'around motion' : 'continuous';
  if (recording.active) return recording.droppedFragments > 0 ? `recording (${mode}), ${recording.droppedFragments} frames dropped by a slow disk` : `recording (${mode})`;
  return `not recording: ${recording.reason ?? 'waiting for the camera'}`;
}

/** A tile's REC badge: red while a segment is written, grey with its reason when not. */
export function RecordingBadge({ recording }: { recording: Recording }) {
  return (
    <span
      data-recording={recording.active ? 'active' : 'paused'}
      title={recordingText(recording)}
      className={`shrink-0 rounded px-1 font-mono text-[10px] font-semibold ${recording.active ? 'bg-red-700/80 text-white' : 'bg-neutral-700 text-neutral-300 line-through'}`}
    >
      REC
    </span>
  );
}

/** The camera page's line about recording, with its reason when it is not. */
export function RecordingLabel({ recording }: { recording: Recording }) {
  return (
    <span
      data-recording={recording.active ? 'active' : 'paused'}
      data-recording-reason={recording.reason ?? ''}
      className={`min-w-0 max-w-full truncate text-xs ${recording.active ? 'text-red-300' : 'text-amber-300'}`}
      title={recordingText(recording)}
    >
      {recording.active ? '● ' : ''}
      {recordingText(recording)}
    </span>
  );
}

/** The playback page's buttons, in the camera page's look. */
export const BUTTON = 'shrink-0 whitespace-nowrap rounded bg-neutral-800 px-3 py-1 text-sm hover:bg-neutral-700 disabled:opacity-40';
export const SMALL_BUTTON = 'shrink-0 whitespace-nowrap rounded bg-neutral-800 px-2 py-0.5 text-xs hover:bg-neutral-700 disabled:opacity-40';

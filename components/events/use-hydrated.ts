import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False in the server's render and in hydration, true after: times are shown in the browser's
 * time zone, which the server does not know, so they are written only once the page runs there
 * (a different text in hydration would be an error).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

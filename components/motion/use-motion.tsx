'use client';

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { MotionStates, type MotionState } from './motion-states';

const MotionContext = createContext<MotionStates | null>(null);

/** Gives the page's tiles one motion stream between them, open while a camera has motion on. */
export function MotionProvider({ children, enabled }: { children: ReactNode; enabled: boolean }) {
  const [states] = useState(() => new MotionStates());
  useEffect(() => (enabled ? states.use() : undefined), [states, enabled]);
  return <MotionContext.Provider value={states}>{children}</MotionContext.Provider>;
}

const none = () => () => {};

/** The camera's live motion state; undefined outside a MotionProvider or for a camera without motion on. */
export function useMotion(camera: string): MotionState | undefined {
  const states = useContext(MotionContext);
  return useSyncExternalStore(
    states ? (listener) => states.listen(camera, listener) : none,
    () => states?.get(camera),
    () => undefined,
  );
}

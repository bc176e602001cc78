import { fileLabel } from '../config/load';
import type { Camdash } from '../server/camdash';
import type { PublicCamera } from './public-camera';

/** What the dashboard shows: the cameras, and what is wrong with the cameras file right now. */
export type DashboardState = {
  cameras: PublicCamera[];
  config: { file: string; errors: string[]; hasRunningConfig: boolean };
};

export function dashboardState(camdash: Camdash): DashboardState {
  const { config } = camdash;
  return {
    cameras: camdash.cameras(),
    config: { file: fileLabel(config.file), errors: config.errors, hasRunningConfig: config.loadedAt !== undefined },
  };
}

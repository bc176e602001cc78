const MAX_CAMERAS = 256;

/** `a,b,c` → unique ids, bounded in count, whatever the query string holds. */
export function parseCameraList(value: string | null): string[] {
  return [...new Set((value ?? '').split(',').map((id) => id.trim()).filter(Boolean))].slice(0, MAX_CAMERAS);
}

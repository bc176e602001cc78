/** The cameras before and after `id` in cameras.json order, wrapping around; none when alone. */
export function neighbours(ids: readonly string[], id: string): { previous: string | null; next: string | null } {
  const index = ids.indexOf(id);
  if (index < 0 || ids.length < 2) return { previous: null, next: null };
  return { previous: ids[(index - 1 + ids.length) % ids.length]!, next: ids[(index + 1) % ids.length]! };
}

/** `front-door-2026-11-23-21-30-05.jpg`: the camera, and the local time the frame was shown. */
export function snapshotFileName(cameraId: string, at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return `${cameraId}-${stamp}.jpg`;
}

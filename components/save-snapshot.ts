import { snapshotFileName } from '@/lib/cameras/neighbours';

export function snapshotUrl(cameraId: string): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/snapshot`;
}

/** Hands the browser a JPEG to download, named after the camera and the time now. */
export function saveJpeg(jpeg: Blob, cameraId: string): void {
  const url = URL.createObjectURL(jpeg);
  const link = document.createElement('a');
  link.href = url;
  link.download = snapshotFileName(cameraId, new Date());
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The server's JPEG of the camera now, for the video path: a <video> holds no JPEG as the camera
 * sent it, and one re-encoded from it would be no better. Fetched rather than linked to, so that
 * a camera with no frame to give (a 503 with its reason) is an error, not a saved error page.
 */
export async function saveServerSnapshot(cameraId: string): Promise<void> {
  const response = await fetch(snapshotUrl(cameraId), { cache: 'no-store' });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    throw new Error(typeof body?.error === 'string' ? body.error : `the server answered ${response.status}`);
  }
  saveJpeg(await response.blob(), cameraId);
}

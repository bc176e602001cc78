export function streamUrl(cameraId: string): string {
  return `/api/cameras/${encodeURIComponent(cameraId)}/stream`;
}

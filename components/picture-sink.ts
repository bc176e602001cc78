/**
 * Shows JPEG frames in an <img> through blob: URLs, releasing each URL once the next replaces it.
 * Shared by the grid's multiplexed stream and the camera page's own stream.
 */
export function createPictureSink(image: { current: HTMLImageElement | null }, onFrame: () => void) {
  let shownUrl: string | undefined;
  return {
    show(jpeg: Uint8Array): void {
      const next = URL.createObjectURL(new Blob([jpeg as BlobPart], { type: 'image/jpeg' }));
      if (image.current) image.current.src = next;
      if (shownUrl) URL.revokeObjectURL(shownUrl);
      shownUrl = next;
      onFrame();
    },
    dispose(): void {
      if (shownUrl) URL.revokeObjectURL(shownUrl);
    },
  };
}

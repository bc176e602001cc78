/**
 * Calls `onFrame` with the media time of each picture the video presents (requestVideoFrameCallback),
 * or, in a browser without it, of each timeupdate. Returns the way to stop.
 */
export function watchPresentedFrames(video: HTMLVideoElement, onFrame: (mediaTime: number) => void): () => void {
  if (typeof video.requestVideoFrameCallback !== 'function') {
    const onTime = () => onFrame(video.currentTime);
    video.addEventListener('timeupdate', onTime);
    return () => video.removeEventListener('timeupdate', onTime);
  }
  let request: number;
  const onPresented = (_now: number, metadata: VideoFrameCallbackMetadata) => {
    onFrame(metadata.mediaTime);
    request = video.requestVideoFrameCallback(onPresented);
  };
  request = video.requestVideoFrameCallback(onPresented);
  return () => video.cancelVideoFrameCallback(request);
}

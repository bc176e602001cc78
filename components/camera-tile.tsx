'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { displayStatus } from '@/lib/cameras/display-status';
import type { PublicCamera } from '@/lib/cameras/public-camera';
import { CameraPicture } from './camera-picture';
import { useGridPicture } from './grid-stream';
import { LiveVideoElement } from './live/camera-video';
import { codecName, livePathText } from './live/live-path';
import type { FrameSize } from './picture-renderer';
import { MotionDot, MotionOverlay } from './motion/motion-overlay';
import { RecordingBadge } from './recording-label';
import { StatusBadge } from './status-badge';
import { useGridVideo } from './use-grid-video';
import { usePictureRenderer } from './use-picture-renderer';

// Until the first frame (or the video's init) tells the camera's own shape, the most common one.
const aspectRatio = (frame: FrameSize | null) => (frame ? `${frame.width} / ${frame.height}` : '16 / 9');

/**
 * One camera of the grid: its own video where it has one and this browser plays it, else its JPEGs
 * on the canvas. `data-live-path` and `data-live-path-reason` say which, and why MJPEG.
 */
export function CameraTile({ camera }: { camera: PublicCamera }) {
  const { renderer, canvasRef, frameSize } = usePictureRenderer();
  const tile = useRef<HTMLAnchorElement>(null);
  const [videoElement, setVideoElement] = useState<HTMLVideoElement | null>(null);
  const video = useGridVideo(camera, videoElement, renderer);
  const jpeg = useGridPicture(camera.id, tile, renderer, camera.status !== 'disabled', video.player);
  const { path, format } = video;
  const status = displayStatus(camera, path.path === 'h264' ? video.state : jpeg);
  const videoSize = path.path === 'h264' && format?.width && format.height ? { width: format.width, height: format.height } : null;
  const pathName = path.path === 'h264' ? codecName(format?.codec ?? camera.video?.codec ?? 'video') : 'MJPEG';
  return (
    <Link
      ref={tile}
      href={`/cameras/${encodeURIComponent(camera.id)}`}
      data-camera={camera.id}
      data-live-path={path.path}
      data-live-path-reason={path.reason ?? ''}
      className="group block overflow-hidden rounded-lg bg-neutral-900 ring-1 ring-neutral-800 transition hover:ring-neutral-500 focus-visible:outline-2 focus-visible:outline-sky-500"
    >
      <div className="relative bg-black" style={{ aspectRatio: aspectRatio(videoSize ?? frameSize) }}>
        <CameraPicture
          camera={camera}
          status={status}
          canvasRef={canvasRef}
          className="block size-full object-contain"
          cover={
            path.path === 'h264' && (
              <LiveVideoElement camera={camera} status={status} videoRef={setVideoElement} className="absolute inset-0 size-full object-contain" />
            )
          }
        />
        {camera.motion && <MotionOverlay camera={camera.id} />}
      </div>
      <div className="flex items-center justify-between gap-2 px-3 py-2">
        {camera.motion && <MotionDot camera={camera.id} />}
        <span className="truncate text-sm font-medium">{camera.name}</span>
        <span className="ml-auto flex shrink-0 items-center gap-2">
          {camera.recording && <RecordingBadge recording={camera.recording} />}
          <span title={livePathText(camera, path, format)} className="font-mono text-[10px] text-neutral-500">
            {pathName}
          </span>
          <StatusBadge status={status} />
        </span>
      </div>
    </Link>
  );
}

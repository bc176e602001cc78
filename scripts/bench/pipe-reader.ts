// Reads ffmpeg's JPEGs from stdin the way a capture does (splitter, one part per frame) and drops them.
import { capturedFrame } from '../../lib/capture/frame';
import { JpegSplitter } from '../../lib/mjpeg/jpeg-splitter';

const splitter = new JpegSplitter();
let seq = 0;
process.stdin.on('data', (chunk: Buffer) => {
  splitter.push(chunk, (jpeg) => capturedFrame('floor', ++seq, Date.now(), jpeg));
});

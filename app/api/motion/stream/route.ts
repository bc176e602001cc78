import { getCamdash } from '@/lib/server/camdash';
import { motionStreamResponse } from '@/lib/http/motion-stream-response';

/** GET /api/motion/stream — every camera's live motion state, as server-sent events. */
export async function GET(request: Request): Promise<Response> {
  const { motion } = await getCamdash();
  return motionStreamResponse(motion.hub, request.signal);
}

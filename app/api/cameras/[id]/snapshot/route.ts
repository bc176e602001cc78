import { getCamdash } from '@/lib/server/camdash';
import { snapshotResponse } from '@/lib/http/snapshot-response';
import { unknownCamera } from '@/lib/http/no-store';

const FIRST_FRAME_TIMEOUT_MS = 15_000;

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const camdash = await getCamdash();
  const subscription = camdash.registry.subscribe(id);
  if (!subscription) return unknownCamera();
  return snapshotResponse(subscription, FIRST_FRAME_TIMEOUT_MS, () => camdash.camera(id)?.reason, request.signal);
}

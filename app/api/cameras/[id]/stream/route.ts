import { getCamdash } from '@/lib/server/camdash';
import { mjpegResponse } from '@/lib/http/mjpeg-response';
import { unknownCamera } from '@/lib/http/no-store';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const subscription = (await getCamdash()).registry.subscribe(id);
  if (!subscription) return unknownCamera();
  return mjpegResponse(subscription, request.signal);
}

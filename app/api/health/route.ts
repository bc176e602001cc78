import { getCamdash } from '@/lib/server/camdash';
import { healthReport } from '@/lib/server/health';
import { jsonResponse } from '@/lib/http/no-store';

export async function GET(): Promise<Response> {
  return jsonResponse(healthReport(await getCamdash()));
}

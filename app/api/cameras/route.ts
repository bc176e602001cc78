import { getCamdash } from '@/lib/server/camdash';
import { jsonResponse } from '@/lib/http/no-store';

export async function GET(): Promise<Response> {
  return jsonResponse({ cameras: (await getCamdash()).cameras() });
}

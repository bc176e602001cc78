import { NO_STORE_HEADERS } from '@/lib/http/no-store';
import { metricsRegistry } from '@/lib/server/metrics';

/** GET /api/metrics — Prometheus text format (behind the login, or a token, like the rest). */
export async function GET(): Promise<Response> {
  const registry = metricsRegistry();
  return new Response(await registry.metrics(), { headers: { ...NO_STORE_HEADERS, 'Content-Type': registry.contentType } });
}

/** Live pictures and statuses must never come from a cache. */
export const NO_STORE_HEADERS = {
  'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
  Pragma: 'no-cache',
} as const;

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE_HEADERS });
}

export function unknownCamera(): Response {
  return jsonResponse({ error: 'unknown camera' }, 404);
}

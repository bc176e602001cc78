/** Which events to list: all filters optional; times in epoch milliseconds. */
export type EventListQuery = {
  camera?: string | undefined;
  /** Events still going on at or after this time. */
  from?: number | undefined;
  /** Events that started at or before this time (so `to` = the oldest start shown pages on). */
  to?: number | undefined;
  limit: number;
};

/**
 * The SQL for one query, with a key naming its shape (which filters), so that each shape is
 * prepared once. Each filter is its own condition rather than `(? IS NULL OR …)`, which would keep
 * SQLite from using the camera and start-time indexes.
 */
export function buildListQuery(select: string, query: EventListQuery): { key: string; sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.camera !== undefined) {
    conditions.push('e.camera = ?');
    params.push(query.camera);
  }
  if (query.from !== undefined) {
    conditions.push('(e.ended_at IS NULL OR e.ended_at >= ?)');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    conditions.push('e.started_at <= ?');
    params.push(query.to);
  }
  params.push(query.limit);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const sql = `${select}${where} ORDER BY e.started_at DESC, e.id DESC LIMIT ?`;
  return { key: `list:${query.camera !== undefined}:${query.from !== undefined}:${query.to !== undefined}`, sql, params };
}

/** Which events the page shows: the API's filters, times in epoch ms. */
export type EventFilter = { camera?: string | undefined; from?: number | undefined; to?: number | undefined };

/** `?camera=…&from=…` for the page's URL and the API's, with only what is set; '' when nothing is. */
export function eventsSearch(filter: EventFilter & { limit?: number }): string {
  const params = new URLSearchParams();
  if (filter.camera) params.set('camera', filter.camera);
  if (filter.from !== undefined) params.set('from', String(filter.from));
  if (filter.to !== undefined) params.set('to', String(filter.to));
  if (filter.limit !== undefined) params.set('limit', String(filter.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const isFiltered = (filter: EventFilter): boolean => Boolean(filter.camera) || filter.from !== undefined || filter.to !== undefined;

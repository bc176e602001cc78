/** How many events one request lists: by default, and at most. Shared by the API and the page's "Show older". */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

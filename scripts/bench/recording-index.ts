/**
 * npm run bench:recording-index — the segment index's queries at the size of a full installation
 * (recording-index-queries.ts): each query's first call (a cold cache) and the median and max of the
 * 20 after it. The playback page's question (one camera's spans over 24 h) must take at most 50 ms
 * (issue 19), the first call included: the script exits 1 when it does not.
 */
import { fixed } from './table';
import { INDEX_CAMERAS, INDEX_DAYS, INDEX_LIMIT_MS, INDEX_SEGMENT_MS, measureIndexQueries } from './recording-index-queries';

const size = (result: unknown) => (Array.isArray(result) ? `${result.length} rows` : result === undefined ? 'none' : '1 row');

function main(): void {
  const { rows, fillMs, results, spansWorstMs } = measureIndexQueries();
  console.log(`${rows} segments (${INDEX_CAMERAS.length} cameras × ${INDEX_DAYS} days of ${INDEX_SEGMENT_MS / 1000} s) written in ${fixed(fillMs / 1000, 1)} s\n`);
  const width = Math.max(...results.map((result) => result.name.length));
  console.log(`${'query'.padEnd(width)}  first ms  median ms  max ms  result`);
  for (const { name, first, median, max, result } of results) {
    console.log(`${name.padEnd(width)}  ${fixed(first, 2).padStart(8)}  ${fixed(median, 2).padStart(9)}  ${fixed(max, 2).padStart(6)}  ${size(result)}`);
  }
  const ok = spansWorstMs <= INDEX_LIMIT_MS;
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: one camera's spans over 24 h took at most ${fixed(spansWorstMs, 2)} ms (limit ${INDEX_LIMIT_MS} ms)`);
  if (!ok) process.exitCode = 1;
}

main();

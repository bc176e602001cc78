/**
 * Run 2 of npm run bench:recording: from a click on the playback page's timeline to the first
 * presented picture of the moment clicked (within a second), on the footage the server's recorder
 * wrote in run 1: 60 s segments of a camera that stamps its clock into every picture. The timeline
 * is zoomed in fully (5 minutes across), as one would to pick a moment; the clicks are spread over
 * the recorded spans in view and taken in an order that jumps far each time (well outside what
 * the player keeps buffered, 60 s behind and 30 s ahead), so each one asks the server anew.
 */
import type { Span } from '../../lib/recording/types';
import type { TestBrowser } from '../../tests/helpers/browser';
import type { NextServer } from '../../tests/helpers/next-server';
import { clickTimeline, openPlaybackPage, picturesUntil, stampOf, timelineView, zoomTimelineIn } from '../../tests/helpers/playback-page';
import { median } from './recording-cpu';
import { fixed, type Row } from './table';

export type ClicksContext = { server: NextServer; browser: TestBrowser; cameraId: string; rows: Row[]; clicks: number };

const LIMIT_MS = 1_000;
/** Clicks stay this far inside a span: a moment on its very edge may have no picture within WITHIN_MS. */
const SPAN_EDGE_MS = 1_500;
/** And this far from the view's edges, which move when the picture plays past them. */
const VIEW_EDGE_MS = 10_000;
/** The segment being written is indexed every 2 s: its last seconds are not clicked. */
const LIVE_EDGE_MS = 10_000;

async function recordedSpans(server: NextServer, cameraId: string, from: number, to: number): Promise<Span[]> {
  const response = await fetch(`${server.url}/api/recordings/${cameraId}?from=${Math.round(from)}&to=${Math.round(to)}`);
  if (!response.ok) throw new Error(`GET /api/recordings/${cameraId}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { spans: Span[] }).spans;
}

const clip = (spans: readonly Span[], from: number, to: number, edge: number): Span[] =>
  spans.map((span) => ({ start: Math.max(span.start + edge, from), end: Math.min(span.end - edge, to) })).filter((span) => span.end > span.start);

/** The moment `fraction` of the way through the spans' recorded time (gaps left out). */
function momentAt(spans: readonly Span[], fraction: number): number {
  const total = spans.reduce((sum, span) => sum + span.end - span.start, 0);
  let left = fraction * total;
  for (const span of spans) {
    if (left <= span.end - span.start) return Math.round(span.start + left);
    left -= span.end - span.start;
  }
  return spans.at(-1)!.end;
}

/** 0, n/2, 1, n/2 + 1, …: each click half the footage in view away from the one before. */
const farApart = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i / 2 : Math.ceil(n / 2) + (i - 1) / 2));

export async function runTimelineClicks({ server, browser, cameraId, rows, clicks }: ClicksContext): Promise<void> {
  const now = Date.now();
  const spans = clip(await recordedSpans(server, cameraId, now - 3_600_000, now), 0, now - LIVE_EDGE_MS, SPAN_EDGE_MS);
  if (spans.length === 0) throw new Error('run 2: nothing recorded to click on');
  const anchor = momentAt(spans, 0.5);
  const opening = Date.now();
  const page = await openPlaybackPage(browser.context, server.url, cameraId, anchor);
  try {
    const opened = (await picturesUntil(page, anchor, 15_000)).at(-1)!;
    const openMs = opened.at - opening;
    await zoomTimelineIn(page);
    const view = await timelineView(page);
    const inView = clip(spans, view.from + VIEW_EDGE_MS, view.to - VIEW_EDGE_MS, 0);
    const wanted = farApart(clicks).map((i) => momentAt(inView, (i + 0.5) / clicks));
    const figures: number[] = [];
    const offsets: number[] = [];
    for (const [n, moment] of wanted.entries()) {
      const click = await clickTimeline(page, moment, 5_000);
      figures.push(click.ms);
      // What the picture's own clock says against the moment clicked (the index's clock: when the server received the frame).
      offsets.push(stampOf(click.picture, click.target) - click.target);
      console.error(`run 2: click ${n + 1} at ${new Date(click.target).toISOString()}: picture in ${click.ms} ms, its stamp ${offsets.at(-1)} ms from the moment`);
    }
    const jumps = wanted.slice(1).map((moment, i) => Math.abs(moment - wanted[i]!));
    const worst = Math.max(...figures);
    const recordedInView = inView.reduce((sum, span) => sum + span.end - span.start, 0);
    rows.push({ run: '2 timeline click → picture', measure: `${clicks} clicks: median / max`, value: `${fixed(median(figures), 0)} / ${worst} ms`, target: `≤ ${LIMIT_MS} ms (max)`, met: worst <= LIMIT_MS });
    rows.push({ run: '(the recorder\'s footage, 60 s segments)', measure: 'each click, in order', value: `${figures.join(', ')} ms` });
    rows.push({ run: '', measure: 'jump between clicks: shortest', value: `${fixed(Math.min(...jumps) / 1000, 0)} s` });
    rows.push({ run: '', measure: `picture's stamp − moment clicked: median (max)`, value: `${fixed(median(offsets), 0)} (${Math.max(...offsets.map(Math.abs))}) ms` });
    rows.push({ run: '', measure: 'footage in view (5 min): recorded, spans', value: `${fixed(recordedInView / 1000, 0)} s, ${inView.length}` });
    rows.push({ run: '', measure: 'opening the page at ?at= → its picture', value: `${openMs} ms` });
  } finally {
    await page.close();
  }
}

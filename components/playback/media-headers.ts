/** The placing of a playback media response on the clock, from its X- headers (see lib/recording/recording-responses.ts). Pure. */

export type MediaPlacement = {
  /** Epoch ms of the first fragment, and that fragment's decode time in seconds. */
  clockStart: number;
  mediaStart: number;
  /** Epoch ms at the end of the last fragment. */
  clockEnd: number;
  /** Where to ask next; undefined at the end of a span. */
  next: number | undefined;
  codec: string;
};

/** The response's placement; throws naming the header that is missing or not a number. */
export function readPlacement(headers: Pick<Headers, 'get'>): MediaPlacement {
  const number = (name: string, optional = false): number | undefined => {
    const text = headers.get(name);
    if (text === null && optional) return undefined;
    const value = text === null || text.trim() === '' ? NaN : Number(text);
    if (!Number.isFinite(value)) throw new Error(`playback: the media response's ${name} header is ${text === null ? 'missing' : `not a number ("${text}")`}`);
    return value;
  };
  const codec = headers.get('X-Codec');
  if (!codec) throw new Error("playback: the media response's X-Codec header is missing");
  return { clockStart: number('X-Clock-Start')!, mediaStart: number('X-Media-Start')!, clockEnd: number('X-Clock-End')!, next: number('X-Next', true), codec };
}

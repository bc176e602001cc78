import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { parseOpenAt } from '@/components/playback/open-at';
import { PlaybackView } from '@/components/playback/playback-view';
import { getCamdash } from '@/lib/server/camdash';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const camera = (await getCamdash()).camera((await params).id);
  return { title: camera ? `${camera.name} · Playback` : 'Camera not found' };
}

/** A camera's recordings: `?at=<epoch ms>` opens at that moment, without it at the last recorded minute. */
export default async function PlaybackPage({ params, searchParams }: Props) {
  const camera = (await getCamdash()).camera((await params).id);
  if (!camera) notFound();
  const { at, problem } = parseOpenAt((await searchParams).at);
  // The camera's public view only: its name and id, never its source.
  return <PlaybackView key={camera.id} camera={{ id: camera.id, name: camera.name }} initialAt={at ?? null} problem={problem ?? null} />;
}

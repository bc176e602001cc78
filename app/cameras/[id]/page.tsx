import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CameraView } from '@/components/camera-view';
import { getCamdash } from '@/lib/server/camdash';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const camera = (await getCamdash()).camera((await params).id);
  return { title: camera?.name ?? 'Camera not found' };
}

export default async function CameraPage({ params }: Props) {
  const camera = (await getCamdash()).camera((await params).id);
  if (!camera) notFound();
  return <CameraView initialCamera={camera} />;
}

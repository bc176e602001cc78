import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CameraView } from '@/components/camera-view';
import { dashboardState } from '@/lib/cameras/dashboard-state';
import { neighbours } from '@/lib/cameras/neighbours';
import { getCamdash } from '@/lib/server/camdash';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const camera = (await getCamdash()).camera((await params).id);
  return { title: camera?.name ?? 'Camera not found' };
}

export default async function CameraPage({ params }: Props) {
  const camdash = await getCamdash();
  const camera = camdash.camera((await params).id);
  if (!camera) notFound();
  const { previous, next } = neighbours(camdash.cameras().map((each) => each.id), camera.id);
  return <CameraView key={camera.id} initialCamera={camera} initialConfig={dashboardState(camdash).config} previous={previous} next={next} />;
}

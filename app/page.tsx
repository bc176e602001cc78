import { connection } from 'next/server';
import { CameraGrid } from '@/components/camera-grid';
import { ConfigErrors } from '@/components/config-errors';
import { getCamdash } from '@/lib/server/camdash';

export default async function DashboardPage() {
  // Cameras and their statuses are read per request, never baked in at build time.
  await connection();
  const camdash = await getCamdash();
  return (
    <main className="p-2 sm:p-4">
      {!camdash.config.ok && <ConfigErrors errors={camdash.config.errors} />}
      <CameraGrid initialCameras={camdash.cameras()} />
    </main>
  );
}

import { connection } from 'next/server';
import { CameraGrid } from '@/components/camera-grid';
import { dashboardState } from '@/lib/cameras/dashboard-state';
import { getCamdash } from '@/lib/server/camdash';

export default async function DashboardPage() {
  // Cameras and their statuses are read per request, never baked in at build time.
  await connection();
  const camdash = await getCamdash();
  return (
    <main className="p-2 sm:p-4">
      <CameraGrid initialState={dashboardState(camdash)} />
    </main>
  );
}

import { cookies } from 'next/headers';
import Link from 'next/link';
import { getAuth, SESSION_COOKIE } from '@/lib/auth/auth';
import { AddCameraButton } from './camera-form/camera-form-buttons';

/** The header's right side: what a signed-in user can do, and a warning when nobody needs to sign in. */
export async function SessionControls() {
  // Cookies first: that makes every page dynamic before auth is touched, so that a build (which
  // prerenders what it can) never sets up logging in, nor prints a password nobody will see.
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  const auth = await getAuth();
  const signedIn = !auth.enabled || auth.hasSession(session, Date.now());
  if (!signedIn) return null;
  return (
    <div className="flex items-center gap-2">
      {!auth.enabled && (
        <span data-auth-off title="CAMDASH_AUTH=off: anybody who can reach this server can watch your cameras" className="rounded bg-amber-500/15 px-2 py-0.5 text-xs font-medium text-amber-300 ring-1 ring-amber-500/40">
          No login
        </span>
      )}
      {/* Not prefetched: these pages read the event store and the recordings' index, and the header is on every page. */}
      <Link href="/events" prefetch={false} className="rounded-md px-2.5 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
        Events
      </Link>
      <Link href="/recordings" prefetch={false} className="rounded-md px-2.5 py-1 text-sm text-neutral-300 hover:bg-neutral-800 hover:text-white">
        Recordings
      </Link>
      <AddCameraButton />
      {auth.enabled && (
        <form method="post" action="/api/logout">
          <button type="submit" className="rounded-md px-2.5 py-1 text-sm text-neutral-400 hover:bg-neutral-800 hover:text-white">
            Log out
          </button>
        </form>
      )}
    </div>
  );
}

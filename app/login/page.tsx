import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNextPath } from '@/lib/auth/access';
import { getAuth, SESSION_COOKIE } from '@/lib/auth/auth';

export const metadata: Metadata = { title: 'Log in' };

const ERRORS: Record<string, (retry: string | undefined) => string> = {
  wrong: () => 'Wrong password.',
  locked: (retry) => `Too many failed attempts: try again in ${retry ?? 'a few'} seconds.`,
  invalid: () => 'Enter the password.',
};

/** A plain form posting to /api/login: logging in works without JavaScript. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const next = safeNextPath(first(params.next));
  const auth = await getAuth();
  if (!auth.enabled || auth.hasSession((await cookies()).get(SESSION_COOKIE)?.value, Date.now())) redirect(next);
  const error = ERRORS[first(params.error) ?? '']?.(first(params.retry)?.replace(/\D/g, ''));
  return (
    <main className="mx-auto mt-[15vh] max-w-sm p-4">
      <form method="post" action="/api/login" className="space-y-4 rounded-xl border border-neutral-800 bg-neutral-900 p-5">
        <h1 className="text-lg font-semibold">Log in to camdash</h1>
        <input type="hidden" name="next" value={next} />
        <div>
          <label htmlFor="password" className="mb-1 block text-sm text-neutral-400">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            required
            autoFocus
            autoComplete="current-password"
            aria-invalid={error ? true : undefined}
            className="w-full rounded-md border border-neutral-700 bg-neutral-950 px-3 py-2 text-neutral-100 focus:border-sky-500 focus:outline-none"
          />
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-300">
            {error}
          </p>
        )}
        <button type="submit" className="w-full rounded-md bg-sky-600 px-3 py-2 font-medium text-white hover:bg-sky-500">
          Log in
        </button>
        <p className="text-xs text-neutral-500">
          The password is set with CAMDASH_PASSWORD, or was printed in the server&apos;s console at its first start.
        </p>
      </form>
    </main>
  );
}

import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-neutral-400">There is no camera or page at this address.</p>
      <Link href="/" className="mt-6 inline-block rounded bg-neutral-800 px-4 py-2 hover:bg-neutral-700">
        Back to all cameras
      </Link>
    </main>
  );
}

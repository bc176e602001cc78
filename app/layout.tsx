import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SessionControls } from '@/components/session-controls';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'camdash', template: '%s · camdash' },
  description: 'Live view of your cameras',
};

export const viewport: Viewport = { themeColor: '#0a0a0a', width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-dvh bg-neutral-950 text-neutral-100 antialiased">
        <header className="flex h-12 items-center justify-between border-b border-neutral-800 px-3 sm:px-4">
          <Link href="/" className="font-semibold tracking-tight text-neutral-100 hover:text-white">
            camdash
          </Link>
          <SessionControls />
        </header>
        {children}
      </body>
    </html>
  );
}

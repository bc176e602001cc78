/** @type {import('next').NextConfig} */
const nextConfig = {
  // ffmpeg-static exports an absolute path computed from its own __dirname; bundling it would
  // rewrite that path into .next/ where no binary exists.
  // better-sqlite3 loads its compiled addon from its own directory at run time.
  serverExternalPackages: ['ffmpeg-static', 'better-sqlite3'],
  poweredByHeader: false,
};

export default nextConfig;

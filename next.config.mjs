/** @type {import('next').NextConfig} */
const nextConfig = {
  // ffmpeg-static exports an absolute path computed from its own __dirname; bundling it would
  // rewrite that path into .next/ where no binary exists.
  serverExternalPackages: ['ffmpeg-static'],
  poweredByHeader: false,
};

export default nextConfig;

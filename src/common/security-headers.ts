import type { HelmetOptions } from 'helmet';

/**
 * The security headers of every response, on both platforms: helmet is Node-level middleware,
 * built once and mounted with `app.use` (app.setup.ts). @fastify/helmet, the Fastify plugin that
 * wraps it, builds a new helmet middleware on every request (BENCHMARKS.md). helmet's defaults,
 * except: Swagger UI at /docs needs inline styles
 * and `data:` images, and the API is often served over plain HTTP in development, where
 * `upgrade-insecure-requests` would send Swagger UI's own requests to an https:// that is not there.
 */
export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
};

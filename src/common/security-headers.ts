import type { HelmetOptions } from 'helmet';

/**
 * The security headers of every response, one set for both platforms (helmet on Express,
 * @fastify/helmet on Fastify). helmet's defaults, except: Swagger UI at /docs needs inline styles
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

import { existsSync } from 'node:fs';

/**
 * `.env` into process.env (variables already set win), except with NODE_ENV=test, as
 * ConfigModule does. Entry points import this module before anything else, because the entity
 * decorators read DATABASE_URL when their files are evaluated (see database/dialect.ts) and
 * imports are hoisted: ConfigModule loads `.env` only after every entity has been declared, and
 * code in the entry point's body runs after its imports.
 */
if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');

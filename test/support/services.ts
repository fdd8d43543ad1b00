/**
 * The real services some tests need (Redis, PostgreSQL). They run on this machine and in CI;
 * a test that needs one fails loudly when it is absent instead of skipping.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

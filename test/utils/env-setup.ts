// Runs before each e2e file's imports: the variables every test app shares.
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-for-hs256-signing';
process.env.LOG_LEVEL ??= 'error';
// Tests raise the login limit (never disable it); the rate-limit test sets its own low value.
process.env.LOGIN_RATE_LIMIT = '10000';

/** Kept in step with package.json by scripts/version.test.ts. */
export const VERSION = '0.1.0';

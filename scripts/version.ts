/** Kept in step with package.json by scripts/docs.test.ts. */
export const VERSION = '0.1.0';

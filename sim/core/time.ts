/**
 * Time conventions shared by every annualised figure in ammsim (run APR, fee APR, volatility, Sharpe, staking
 * APRs, GBM paths): a year is 365 days of 86,400 s (crypto trades every day; no leap days, no trading calendar).
 */

/** Milliseconds in one day (86,400 s). */
export const MS_PER_DAY = 86_400_000;

/** Days per year for every APR and annualisation in ammsim. */
export const DAYS_PER_YEAR = 365;

/** Milliseconds in the 365-day year (31,536,000,000). */
export const MS_PER_YEAR = MS_PER_DAY * DAYS_PER_YEAR;

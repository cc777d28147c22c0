import type { MetricInput } from './input.ts';

/** How a metric's number is shown: quote amounts, fractions (as %), counts, ratios, years, plain integers, token amounts. */
export type MetricFormat = 'quote' | 'fraction' | 'count' | 'ratio' | 'years' | 'integer' | 'tokens';

/** What a summary metric is called and how it is shown (summary.json key, table label, unit, number format). */
export interface MetricInfo {
  /** The summary.json key. */
  readonly key: string;
  /** The label in the HTML report and the README. */
  readonly label: string;
  /** The unit shown beside the value ('' when none). */
  readonly unit: string;
  readonly format: MetricFormat;
  /** A label of ≤ 18 characters for the terminal table (default `label`). */
  readonly short?: string;
  /** Shown in the compact terminal table. */
  readonly terminal: boolean;
  /** Which way is better, for ranking (a sweep's best row, its top table); absent for counts and amounts that are neither. */
  readonly better?: 'higher' | 'lower';
}

/** A summary metric: how it is shown, what it means (the README's words) and how it is computed. */
export interface MetricDefinition extends MetricInfo {
  /** One line for the README's metrics table (Markdown). */
  readonly description: string;
  readonly compute: (input: MetricInput) => number;
}

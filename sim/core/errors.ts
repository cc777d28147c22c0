/**
 * One error hierarchy for the whole project. The subclass says whose fault it is:
 * - {@link InputError}: a data file (carries file, line, field);
 * - {@link ConfigError}: a flag, config key or strategy parameter;
 * - {@link PoolError}: something the mirrored contract reverts on (carries the contract's reason string);
 * - {@link InvariantError}: a bug in ammsim itself.
 * The CLI prints `error: <message>` for any AmmsimError and exits 1; anything else is re-thrown.
 */
export class AmmsimError extends Error {
  readonly code: string;
  readonly details: readonly string[];
  constructor(code: string, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AmmsimError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** A bad data file: the message reads `<file>:<line>: <field>: <what>` as CONTRACT.md requires. */
export class InputError extends AmmsimError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly problem: string;
  constructor(file: string, line: number | undefined, field: string | undefined, problem: string, options: { cause?: unknown } = {}) {
    const where = [file, line === undefined ? undefined : String(line)].filter((s) => s !== undefined).join(':');
    super('INPUT', `${where}: ${field === undefined ? '' : `${field}: `}${problem}`, options);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }
}

/** An InputError located by data row rather than text line (Arrow and JSON inputs): its message reads `<file>: row <n>: <field>: <problem>`. */
export class RowInputError extends InputError {
  readonly row: number;
  constructor(file: string, row: number, field: string, problem: string) {
    super(file, row, field, problem);
    this.row = row;
    this.message = `${file}: row ${row}: ${field}: ${problem}`;
  }
}

/** A bad flag, config key or strategy parameter; `flag` is e.g. `--fee` or `width`. */
export class ConfigError extends AmmsimError {
  readonly flag: string;
  constructor(flag: string, problem: string, options: { cause?: unknown } = {}) {
    super('CONFIG', `${flag}: ${problem}`, options);
    this.name = 'ConfigError';
    this.flag = flag;
  }
}

/** What the mirrored contract would revert on. `reason` is the contract's revert string exactly ('' for a bare require). */
export class PoolError extends AmmsimError {
  readonly reason: string;
  constructor(reason: string, message?: string) {
    super('POOL', message ?? (reason === '' ? 'reverted (bare require)' : `reverted: ${reason}`));
    this.name = 'PoolError';
    this.reason = reason;
  }
}

/** A broken internal invariant: always a bug in ammsim. */
export class InvariantError extends AmmsimError {
  constructor(message: string) {
    super('INVARIANT', `invariant broken (a bug in ammsim, please report): ${message}`);
    this.name = 'InvariantError';
  }
}

/**
 * `; did you mean "x"?` for the closest candidate within edit distance 3 and at most one edit per three characters of
 * `key` (at least one: a 3-letter key is not "did you mean" a 2-letter one, `out` → `to`), else ''.
 */
export function didYouMean(key: string, candidates: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.min(3, Math.max(1, Math.ceil(key.length / 3))) ? `; did you mean "${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}


/**
 * A strategy's own fault (it threw, returned something that is not a list of actions, or asked for an action
 * the engine cannot apply): a user error that names the strategy, its file, the step and its time.
 */
export class StrategyError extends AmmsimError {
  readonly strategy: string;
  readonly step: number;
  constructor(strategy: string, step: number, timestampMs: number, problem: string, options: { cause?: unknown } = {}) {
    const when = Number.isFinite(timestampMs) ? ` (${new Date(timestampMs).toISOString()})` : '';
    super('STRATEGY', `strategy ${strategy}: step ${step}${when}: ${problem}`, options);
    this.name = 'StrategyError';
    this.strategy = strategy;
    this.step = step;
  }
}

/**
 * A harvest policy's own fault (its create() or onStep() threw, create() returned no policy, or it asked for an action
 * the engine cannot apply: a sale of more than is held): a user error
 * naming the policy, its file and, during the run, the step and its time, as a StrategyError names a strategy.
 */
export class HarvestPolicyError extends AmmsimError {
  readonly policy: string;
  readonly step: number;
  constructor(policy: string, step: number, timestampMs: number, problem: string, options: { cause?: unknown } = {}) {
    const when = Number.isFinite(timestampMs) ? ` (${new Date(timestampMs).toISOString()})` : '';
    super('HARVEST', `harvest policy ${policy}: ${Number.isFinite(step) ? `step ${step}${when}: ` : ''}${problem}`, options);
    this.name = 'HarvestPolicyError';
    this.policy = policy;
    this.step = step;
  }
}

/**
 * Maximum peak-to-trough decline of a value series, as a fraction of the peak (0 = never below a prior peak,
 * 0.25 = fell 25 % from its high). Non-positive peaks are skipped.
 */
export function maxDrawdown(values: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > peak) peak = v;
    else if (peak > 0) {
      const dd = (peak - v) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst;
}

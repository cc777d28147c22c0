/**
 * A price series in SharedArrayBuffer-backed columns: copied once from the loaded series, then handed to every
 * worker thread without a copy (structured clone shares the buffers). Workers only read them.
 */
import { makeSeries, type PriceSeries, type SeriesProvenance } from '../../sim/core/series.ts';

export interface SharedSeries {
  readonly timestampMs: Float64Array;
  readonly price: Float64Array;
  readonly extra: ReadonlyArray<readonly [string, Float64Array]>;
  readonly provenance: SeriesProvenance;
}

function shared(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export function shareSeries(s: PriceSeries): SharedSeries {
  return {
    timestampMs: shared(s.timestampMs),
    price: shared(s.price),
    extra: [...s.extra].map(([name, col]) => [name, shared(col)] as const),
    provenance: s.provenance,
  };
}

/** The series a worker runs on: views of the shared columns, same provenance. */
export function seriesFromShared(s: SharedSeries): PriceSeries {
  // through makeSeries: checked once per worker, so its runs need not check it again (checkSeries)
  return makeSeries(s.timestampMs, s.price, new Map(s.extra), s.provenance);
}

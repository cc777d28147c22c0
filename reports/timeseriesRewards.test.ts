import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { REWARD_COLUMNS, TIMESERIES_COLUMNS } from '../sim/metrics/record.ts';
import { syntheticRun } from './testing/syntheticRun.ts';
import { readTimeseriesArrow, writeTimeseriesArrow } from './timeseriesFile.ts';
import { timeseriesToCsv } from './timeseriesCsv.ts';

const farm = syntheticRun({ steps: 500, width: 0.1, rewards: { perStep: 0.5, harvestEvery: 60 } }).timeseries;
const plain = syntheticRun({ steps: 500, width: 0.1 }).timeseries;
const col = (ts: object, name: string) => (ts as Record<string, Float64Array>)[name]!;

describe('timeseries files of runs with liquidity-mining programs', () => {
  it('behavior: Arrow writes the reward columns after the fixed ones and reads them back bit for bit', () => {
    const bytes = writeTimeseriesArrow(farm);
    expect(tableFromIPC(bytes).schema.fields.map((f) => f.name)).toEqual([...TIMESERIES_COLUMNS, ...REWARD_COLUMNS]);
    const back = readTimeseriesArrow(bytes, 'farm.arrow');
    for (const name of [...TIMESERIES_COLUMNS, ...REWARD_COLUMNS]) expect(Buffer.from(col(back, name).buffer).equals(Buffer.from(col(farm, name).buffer)), name).toBe(true);
  });
  it('behavior: a run without programs has exactly the fixed columns (same file as before) and reads back without reward columns', () => {
    const bytes = writeTimeseriesArrow(plain);
    expect(tableFromIPC(bytes).schema.fields.map((f) => f.name)).toEqual([...TIMESERIES_COLUMNS]);
    expect('rewardsCumulative' in readTimeseriesArrow(bytes, 'plain.arrow')).toBe(false);
    expect(timeseriesToCsv(plain).split('\n')[0]).toBe(TIMESERIES_COLUMNS.join(','));
  });
  it('behavior: CSV carries the reward columns in the header and each row', () => {
    const lines = timeseriesToCsv(farm).split('\n');
    expect(lines[0]).toBe([...TIMESERIES_COLUMNS, ...REWARD_COLUMNS].join(','));
    expect(lines[61]!.split(',').slice(-3).map(Number)).toEqual(REWARD_COLUMNS.map((c) => col(farm, c)[60]));
  });
  it('error: a file with rewardsCumulative but not the other reward columns is refused, naming the column', () => {
    const t = tableFromIPC(writeTimeseriesArrow(farm));
    const cut = t.select([...TIMESERIES_COLUMNS, 'rewardsCumulative', 'rewardPrice']);
    expect(() => readTimeseriesArrow(tableToIPC(cut, 'file'), 'cut.arrow')).toThrow(/^cut\.arrow: rewardTokensPending: column is required with rewardsCumulative/);
  });
});

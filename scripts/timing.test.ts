import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { phaseTimer } from './timing.ts';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({ write: (c, _e, cb) => void ((out += String(c)), cb()) });
  return { stream, text: () => out };
}

describe('phaseTimer', () => {
  it('behavior: silent unless AMMSIM_TIMING is set (and not 0)', () => {
    for (const env of [{}, { AMMSIM_TIMING: '' }, { AMMSIM_TIMING: '0' }]) {
      const s = sink();
      const t = phaseTimer(env, s.stream);
      t.mark('load');
      t.report();
      expect(s.text()).toBe('');
    }
  });

  it('behavior: one line with every phase in order, then the handler and process totals', () => {
    const s = sink();
    const t = phaseTimer({ AMMSIM_TIMING: '1' }, s.stream);
    t.mark('load');
    t.mark('run');
    t.report();
    expect(s.text()).toMatch(/^timing: load \d+ ms \[cpu \d+, \d+\.\dk faults\] · run \d+ ms \[cpu \d+, \d+\.\dk faults\] \(handler \d+ ms, process \d+ ms \[cpu \d+, \d+\.\dk faults\]\)\n$/);
  });
});

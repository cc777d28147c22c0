import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest } from '../../index.ts';

/** The README's "As a library" code block. */
function libraryExample(): string {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('As a library:');
  const open = readme.indexOf('```ts\n', at);
  return readme.slice(open + 6, readme.indexOf('\n```', open));
}

describe('README: ammsim as a library', () => {
  it('behavior: the README\'s example runs as shown in a new project (plain Node, `import … from \'ammsim\'`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ammsim-lib-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(resolve('.'), join(dir, 'node_modules', 'ammsim'), 'dir');
    writeFileSync(join(dir, 'run.mjs'), libraryExample());
    const r = spawnSync(process.execPath, ['run.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // summary.vsHold, timeseries.lpValue.length, events.length (the mint and the split swap before it)
    expect(r.stdout).toMatch(/^-?\d+(\.\d+)? 8760 2\n$/);
  });

  it('error: an unknown key (a typo of a flag\'s camelCase name) is refused with a hint, as in a --config file', async () => {
    await expect(backtest({ pool: 'v3', strategy: 'range', widht: 0.1 } as never)).rejects.toThrowError('backtest: unknown key "widht"; did you mean "width"?');
    await expect(backtest({ capitl: 5 } as never)).rejects.toThrowError('backtest: unknown key "capitl"; did you mean "capital"?');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStrategy } from './registry.ts';

const body = (name: string): string =>
  `const s = { name: '${name}', description: 'full range', defaults: { k: 1 }, create: (p) => ({ id: '${name}', params: p, onStart: () => [{ kind: 'mint', range: null }], onStep: () => [] }) };\nexport default s;\n`;

describe('user strategies anywhere', () => {
  // A folder with no package.json: a .ts file there would be CommonJS by Node's rules; it must still load as ESM.
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
  it.each(['a.ts', 'b.mts', 'c.js', 'd.mjs'])('behavior: %s in a folder without package.json, a plain default-export object, loads', async (file) => {
    const name = `user-${file.replace('.', '-')}`;
    writeFileSync(join(dir, file), body(name));
    const { factory, label } = await loadStrategy(join(dir, file));
    expect(factory.name).toBe(name);
    expect(factory.defaults).toEqual({ k: 1 });
    expect(label).toBe(`${name} (${join(dir, file)})`);
  });
  it('error: a module without a strategy says what to export', async () => {
    writeFileSync(join(dir, 'bad.mjs'), 'export const x = 1;\n');
    await expect(loadStrategy(join(dir, 'bad.mjs'))).rejects.toThrow(/must export default a strategy: defineStrategy\(\{ name, description, defaults, create \}\) or a plain object/);
  });
});

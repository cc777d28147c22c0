import { describe, expect, it } from 'vitest';
import { COMMANDS } from './index.ts';

describe('command manifest', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('behavior: %s loads a module with the same name and description', async (name, entry) => {
    const mod = await entry.load();
    expect(String(mod.command).split(' ')[0]).toBe(name);
    expect(mod.describe).toBe(entry.describe);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import {
  flipTick,
  nearestNonEmptyWord,
  nextInitializedTickWithinOneWord,
  nextStopAcrossEmptyWords,
  sortedWordPositions,
  type TickBitmap,
} from './tickBitmap.ts';

// Cases: Uniswap/v3-core test/TickBitmap.spec.ts (TickBitmapTest uses tick spacing 1).
const SEED = 20240605;

function isInitialized(b: TickBitmap, tick: number, spacing = 1): boolean {
  const c = Math.floor(tick / spacing);
  return (((b.get(c >> 8) ?? 0n) >> BigInt(c & 255)) & 1n) === 1n;
}

function withTicks(ticks: number[]): TickBitmap {
  const b: TickBitmap = new Map();
  for (const t of ticks) flipTick(b, t, 1);
  return b;
}

describe('flipTick', () => {
  it('behavior: flips only the given tick, and back', () => {
    const b = withTicks([-230]);
    expect([isInitialized(b, -230), isInitialized(b, -231), isInitialized(b, -229), isInitialized(b, 26), isInitialized(b, -486)]).toEqual([true, false, false, false, false]);
    flipTick(b, -230, 1);
    expect(isInitialized(b, -230)).toBe(false);
    expect(b.size).toBe(0); // an emptied word is dropped (reads as 0, like storage)
  });
  it('behavior: reverts only itself', () => {
    const b = withTicks([-230, -259, -229, 500, -259, -229, -259]);
    expect([isInitialized(b, -259), isInitialized(b, -229)]).toEqual([true, false]);
  });
  it('error: a tick off the spacing reverts (bare require)', () => {
    const b: TickBitmap = new Map();
    expect(() => flipTick(b, 61, 60)).toThrowError(PoolError);
    expect(() => flipTick(b, -61, 60)).toThrowError(PoolError);
    flipTick(b, -60, 60);
    expect(isInitialized(b, -60, 60)).toBe(true);
  });
});

describe('nextInitializedTickWithinOneWord', () => {
  const base = [-200, -55, -4, 70, 78, 84, 139, 240, 535];
  const cases: [string, number[], number, boolean, number, boolean][] = [
    // [title, extra ticks, tick, lte, next, initialized]
    ['right of an initialised tick', [], 78, false, 84, true],
    ['right of an initialised negative tick', [], -55, false, -4, true],
    ['directly to the right', [], 77, false, 78, true],
    ['directly to the right (negative)', [], -56, false, -55, true],
    ['next word from the right boundary', [], 255, false, 511, false],
    ['next word from the right boundary (negative)', [], -257, false, -200, true],
    ['next initialised tick from the next word', [340], 328, false, 340, true],
    ['does not exceed the boundary', [], 508, false, 511, false],
    ['skips half a word', [], 383, false, 511, false],
    ['same tick if initialised', [], 78, true, 78, true],
    ['directly to the left if not initialised', [], 79, true, 78, true],
    ['will not exceed the word boundary', [], 258, true, 256, false],
    ['at the word boundary', [], 256, true, 256, false],
    ['word boundary less 1', [], 72, true, 70, true],
    ['word boundary (negative)', [], -257, true, -512, false],
    ['entire empty word', [], 1023, true, 768, false],
    ['halfway through an empty word', [], 900, true, 768, false],
    ['boundary is initialised', [329], 456, true, 329, true],
  ];
  it.each(cases)('behavior: %s', (_title, extra, tick, lte, next, initialized) => {
    const b = withTicks([...base, ...extra]);
    expect(nextInitializedTickWithinOneWord(b, tick, 1, lte)).toEqual({ next, initialized });
  });
  it('behavior: skips an entire empty word (lte = false)', () => {
    const b = withTicks(base.filter((t) => t < 256 || t >= 512));
    expect(nextInitializedTickWithinOneWord(b, 255, 1, false)).toEqual({ next: 511, initialized: false });
  });
  it(`property: agrees with a linear scan over the same word, any spacing (seed ${SEED}, 500 runs)`, () => {
    // Reference: the definition (nearest initialised tick in the search direction, limited to the word
    // of the compressed start tick), checked by walking tick by tick.
    const arb = fc.record({
      spacing: fc.constantFrom(1, 10, 60, 200),
      ticks: fc.uniqueArray(fc.integer({ min: -2000, max: 2000 }), { maxLength: 40 }),
      tick: fc.integer({ min: -300000, max: 300000 }),
      lte: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ spacing, ticks, tick, lte }) => {
        const b: TickBitmap = new Map();
        const set = new Set<number>();
        for (const t of ticks) {
          flipTick(b, t * spacing, spacing);
          set.add(t);
        }
        const start = tick % (600 * spacing); // keep it near the initialised ticks
        const r = nextInitializedTickWithinOneWord(b, start, spacing, lte);
        const c = Math.floor(start / spacing);
        if (lte) {
          const edge = c - (c & 255);
          let expectNext = edge;
          let init = false;
          for (let x = c; x >= edge; x--) if (set.has(x)) { expectNext = x; init = true; break; }
          return r.next === expectNext * spacing && r.initialized === init;
        }
        const edge = c + 1 + (255 - ((c + 1) & 255));
        let expectNext = edge;
        let init = false;
        for (let x = c + 1; x <= edge; x++) if (set.has(x)) { expectNext = x; init = true; break; }
        return r.next === expectNext * spacing && r.initialized === init;
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('nextStopAcrossEmptyWords', () => {
  // Reference: the swap loop's own sequence of nextInitializedTickWithinOneWord calls, one word at a time.
  function walkWordByWord(b: TickBitmap, tick: number, spacing: number, lte: boolean, bound: number): { next: number; initialized: boolean; words: number } {
    let t = tick;
    for (let words = 1; ; words++) {
      const r = nextInitializedTickWithinOneWord(b, t, spacing, lte);
      const passes = lte ? r.next > bound : r.next < bound;
      if (r.initialized || !passes) return { next: r.next, initialized: r.initialized, words };
      t = lte ? r.next - 1 : r.next;
    }
  }

  it(`property: equals the word-by-word walk (seed ${SEED}, 500 runs)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 10, 60, 200),
        fc.array(fc.integer({ min: -4000, max: 4000 }), { maxLength: 8 }),
        fc.integer({ min: -5000, max: 5000 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 6000 }),
        (spacing, compressedTicks, compressedTick, lte, distance) => {
          const b: TickBitmap = new Map();
          for (const c of new Set(compressedTicks)) flipTick(b, c * spacing, spacing);
          // Any tick (not only on the spacing); the bound lies in the walk's direction.
          const tick = compressedTick * spacing + (compressedTick % 3);
          const bound = lte ? tick - distance * spacing : tick + distance * spacing;
          expect(nextStopAcrossEmptyWords(b, sortedWordPositions(b), tick, spacing, lte, bound)).toEqual(walkWordByWord(b, tick, spacing, lte, bound));
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('behavior: skips empty words up to the bound, or stops at the first initialised tick', () => {
    const b = withTicks([-2000, 3000]);
    const words = sortedWordPositions(b);
    expect(words).toEqual([-8, 11]);
    // Down from 1000: words 3..-7 are empty; the edge of word -3 (-768) is the first at or below -700.
    expect(nextStopAcrossEmptyWords(b, words, 1000, 1, true, -700)).toEqual({ next: -768, initialized: false, words: 7 });
    // With the bound beyond it, the initialised tick -2000 (word -8) comes first.
    expect(nextStopAcrossEmptyWords(b, words, 1000, 1, true, -5000)).toEqual({ next: -2000, initialized: true, words: 12 });
    // Up from 1000: 3000 in word 11.
    expect(nextStopAcrossEmptyWords(b, words, 1000, 1, false, 10_000)).toEqual({ next: 3000, initialized: true, words: 9 });
    expect(nextStopAcrossEmptyWords(b, words, 1000, 1, false, 1600)).toEqual({ next: 1791, initialized: false, words: 4 });
  });

  it('behavior: nearestNonEmptyWord is strict on both sides', () => {
    expect([nearestNonEmptyWord([-3, 0, 5], 0, true), nearestNonEmptyWord([-3, 0, 5], 0, false), nearestNonEmptyWord([-3, 0, 5], -3, true), nearestNonEmptyWord([-3, 0, 5], 5, false)]).toEqual([-3, 5, undefined, undefined]);
  });
});

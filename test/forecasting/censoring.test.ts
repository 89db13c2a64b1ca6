// Sold-out days are lower bounds: each is replaced by the demand expected given that it was at least
// its sales, estimated from the same weekday's earlier days and how busy the day itself was for the
// products that did not sell out; nothing else changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SalesHistory } from '../../lib/domain.ts';
import { truncatedMean, uncensoredHistory } from '../../lib/forecasting/censoring.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';

/**
 * Ten weeks of two products selling 100 on Mondays and 50 on other days, from Monday 2026-01-05; `change`
 * alters the bread's days, the cake sells as usual.
 */
function history(soldOut: string[] = [], change: (date: string, units: number) => number = (_, u) => u): SalesHistory {
  const bread: Record<string, number> = {};
  const cake: Record<string, number> = {};
  for (let i = 0; i < 70; i += 1) {
    const date = addDays('2026-01-05', i);
    cake[date] = i % 7 === 0 ? 100 + (i % 3) : 50 + (i % 5);
    bread[date] = change(date, cake[date]);
  }
  return { unitsByProduct: { bread, cake }, closedDates: [], soldOut: { bread: soldOut } };
}

describe('the truncated mean', () => {
  it('is at least the sales and the mean, and grows with the sales', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 600, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (mean, sd, floor, step) => {
          const value = truncatedMean(mean, sd, floor);
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(Math.max(mean, floor) - 1e-6);
          expect(truncatedMean(mean, sd, floor + step)).toBeGreaterThanOrEqual(value - 1e-6);
        },
      ),
    );
    // Sold out well below the usual: about the usual; at the usual: above it by about 0.8 sd.
    expect(truncatedMean(100, 10, 60)).toBeCloseTo(100, 2);
    expect(truncatedMean(100, 10, 100)).toBeCloseTo(107.98, 2);
    // docs/planning.md's worked example: μ 110, σ 12, sold out at 60 or at 115.
    expect(truncatedMean(110, 12, 60)).toBeCloseTo(110, 1);
    expect(truncatedMean(110, 12, 115)).toBeCloseTo(122.97, 1);
  });
});

describe('a history with sold-out days', () => {
  it("raises only the sold-out days, from the same weekday's earlier days, and leaves the others alone", () => {
    // Monday 2026-03-09 sold out at 60 (its Mondays sell about 100); Wednesday 2026-03-11 at 51.
    const censored = history(['2026-03-09', '2026-03-11'], (date, units) =>
      date === '2026-03-09' ? 60 : date === '2026-03-11' ? 51 : units,
    );
    const treated = uncensoredHistory(censored);
    expect(treated.soldOut).toBeUndefined();
    const bread = treated.unitsByProduct.bread!;
    expect(bread['2026-03-09']).toBeGreaterThan(95);
    expect(bread['2026-03-09']).toBeLessThan(110);
    expect(bread['2026-03-11']).toBeGreaterThan(51);
    for (const [date, units] of Object.entries(censored.unitsByProduct.bread!))
      if (date !== '2026-03-09' && date !== '2026-03-11') expect(bread[date]).toBe(units);
    expect(treated.unitsByProduct.cake).toEqual(censored.unitsByProduct.cake);
    // Applied twice, the same; without sold-out days, the history itself.
    expect(uncensoredHistory(treated)).toBe(treated);
    const plain = history();
    expect(uncensoredHistory({ ...plain, soldOut: {} })).toEqual({ ...plain, soldOut: {} });
  });

  it('reads how busy the day was from the products that did not sell out', () => {
    // Monday 2026-03-09: bread sold out at 60; cake, which did not, sold 150 against its usual 100.
    const busy = history(['2026-03-09'], (date, units) => (date === '2026-03-09' ? 60 : units));
    busy.unitsByProduct.cake!['2026-03-09'] = 150;
    const quiet = history(['2026-03-09'], (date, units) => (date === '2026-03-09' ? 60 : units));
    quiet.unitsByProduct.cake!['2026-03-09'] = 70;
    const onBusyDay = uncensoredHistory(busy).unitsByProduct.bread!['2026-03-09']!;
    const onQuietDay = uncensoredHistory(quiet).unitsByProduct.bread!['2026-03-09']!;
    expect(onBusyDay).toBeGreaterThan(140);
    expect(onBusyDay).toBeLessThan(165);
    expect(onQuietDay).toBeGreaterThan(60);
    expect(onQuietDay).toBeLessThan(80);
    // A product sold out too says nothing about the day: both sold out, the usual stands.
    const both = history(['2026-03-09'], (date, units) => (date === '2026-03-09' ? 60 : units));
    both.unitsByProduct.cake!['2026-03-09'] = 150;
    both.soldOut!.cake = ['2026-03-09'];
    const treated = uncensoredHistory(both);
    expect(treated.unitsByProduct.bread!['2026-03-09']).toBeGreaterThan(95);
    expect(treated.unitsByProduct.bread!['2026-03-09']).toBeLessThan(110);
    expect(treated.unitsByProduct.cake!['2026-03-09']).toBeGreaterThanOrEqual(150);
  });

  it('never looks at a later day: what came after a sold-out day does not change its estimate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (later) => {
        const base = history(['2026-02-16'], (date, units) => (date === '2026-02-16' ? 70 : units));
        const changed = history(['2026-02-16'], (date, units) =>
          date === '2026-02-16' ? 70 : date > '2026-02-16' ? later : units,
        );
        expect(uncensoredHistory(changed).unitsByProduct.bread!['2026-02-16']).toBe(
          uncensoredHistory(base).unitsByProduct.bread!['2026-02-16'],
        );
      }),
      { numRuns: 50 },
    );
  });

  it('keeps the sales of a sold-out day with too few earlier days of its weekday', () => {
    const early = history(['2026-01-12'], (date, units) => (date === '2026-01-12' ? 30 : units));
    expect(uncensoredHistory(early).unitsByProduct.bread!['2026-01-12']).toBe(30);
  });
});

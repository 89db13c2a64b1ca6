// The prep sheet: every batch with its weights, each sub-recipe started its lead time before the batch
// that uses it (the evening before across midnight), and the weights of a batch and its preps adding up
// to exactly what the recipe explodes to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, Catalog, ProductionSchedule } from '../../lib/domain.ts';
import { prepSheet } from '../../lib/planning/prep-sheet.ts';
import { explodeRecipe } from '../../lib/planning/recipes.ts';
import { smallCatalog } from '../support/bakery-fixtures.ts';

const batch = (
  batchNumber: string,
  productId: string,
  recipeId: string,
  quantity: number,
  startsAt: string,
): Batch => ({
  batchNumber,
  productId,
  recipeId,
  quantity,
  startsAt,
  equipmentId: 'oven',
  sequence: 1,
  minutes: 30,
  priority: 'high',
  reasoning: '',
});
const schedule = (batches: Batch[]): ProductionSchedule =>
  ({
    planId: 'prod-a',
    tenantId: 'a',
    planDate: '2026-12-03',
    status: 'draft',
    lines: [],
    batches,
    shortfalls: [],
    generatedAt: '',
  }) as ProductionSchedule;

/** The small catalog with the baguette dough fermenting 12 hours (a poolish-style lead). */
const catalog: Catalog = {
  ...smallCatalog(),
  recipes: smallCatalog().recipes.map((r) => (r.recipeId === 'dough' ? { ...r, prepLeadMinutes: 12 * 60 } : r)),
};

describe('the prep sheet', () => {
  it('starts a dough its lead time before the bake, the evening before when that is before midnight', () => {
    const sheet = prepSheet(
      schedule([
        batch('B1', 'baguette', 'bake-baguette', 40, '06:00'),
        batch('B2', 'cookie', 'bake-cookie', 50, '07:15'),
      ]),
      catalog,
    );
    expect(sheet.tasks.map((t) => [t.day, t.startsAt, t.kind, t.name, t.quantity, t.unit])).toEqual([
      ['2026-12-02', '18:00', 'prep', 'Dough', 10, 'kg'],
      ['2026-12-03', '06:00', 'bake', 'Baguette', 40, 'unit'],
      ['2026-12-03', '07:15', 'bake', 'Cookie', 50, 'unit'],
    ]);
    expect(sheet.tasks[0]!.weights).toEqual([
      { kind: 'ingredient', id: 'flour', name: 'Flour', quantity: 6, unit: 'kg' },
      { kind: 'ingredient', id: 'salt', name: 'Salt', quantity: 0.1, unit: 'kg' },
    ]);
    expect(sheet.tasks[1]!.weights).toEqual([{ kind: 'recipe', id: 'dough', name: 'Dough', quantity: 10, unit: 'kg' }]);
  });

  it("adds up, for any batch size and start, to exactly the recipe's exploded ingredients", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 2880 }),
        (units, hour, lead) => {
          const withLead: Catalog = {
            ...catalog,
            recipes: catalog.recipes.map((r) => (r.recipeId === 'dough' ? { ...r, prepLeadMinutes: lead } : r)),
          };
          const startsAt = `${String(hour).padStart(2, '0')}:00`;
          const sheet = prepSheet(schedule([batch('B1', 'baguette', 'bake-baguette', units, startsAt)]), withLead);
          const weighed = new Map<string, number>();
          for (const task of sheet.tasks)
            for (const w of task.weights)
              if (w.kind === 'ingredient') weighed.set(w.id, (weighed.get(w.id) ?? 0) + w.quantity);
          const exploded = explodeRecipe('bake-baguette', units, new Map(withLead.recipes.map((r) => [r.recipeId, r])));
          for (const [id, quantity] of exploded) expect(weighed.get(id)).toBeCloseTo(quantity, 2);
          const prep = sheet.tasks.find((t) => t.kind === 'prep')!;
          const minutes = (t: { day: string; startsAt: string }) =>
            (Date.parse(`${t.day}T${t.startsAt}:00Z`) - Date.parse('2026-12-03T00:00:00Z')) / 60_000;
          expect(minutes(prep)).toBe(hour * 60 - lead);
          expect(sheet.tasks.map(minutes)).toEqual([...sheet.tasks.map(minutes)].sort((a, b) => a - b));
        },
      ),
    );
  });
});

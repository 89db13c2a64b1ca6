import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../lib/domain.ts';
import { explodeRecipe, RecipeError } from '../../lib/planning/recipes.ts';
import { smallCatalog } from '../support/bakery-fixtures.ts';

const byId = (recipes: Recipe[]) => new Map(recipes.map((r) => [r.recipeId, r]));

describe('recipe explosion', () => {
  it('explodes a product through its dough into purchased ingredients', () => {
    // 80 baguettes = 2 yields of 40, each 10 kg dough = 20 kg dough = 2 yields of dough: 12 kg flour, 0.2 kg salt.
    const needs = explodeRecipe('bake-baguette', 80, byId(smallCatalog().recipes));
    expect(Object.fromEntries(needs)).toEqual({ flour: 12, salt: 0.2 });
  });

  it('makes more input for each level of waste', () => {
    const recipes = smallCatalog().recipes.map((r) => ({ ...r, wasteFactor: r.recipeId === 'dough' ? 0.2 : 0.5 }));
    const needs = explodeRecipe('bake-baguette', 40, byId(recipes));
    // 40 good units need 40 / 0.5 = 80 units of output, so 20 kg dough, so 20 / 0.8 = 25 kg of dough output.
    expect(needs.get('flour')).toBeCloseTo(15, 9);
  });

  it('conserves quantities through three levels of sub-recipes', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (a, b, units) => {
          const recipes: Recipe[] = [
            {
              recipeId: 'starter',
              name: 's',
              yieldQuantity: 2,
              yieldUnit: 'kg',
              wasteFactor: 0,
              batchMinutes: 1,
              components: [{ kind: 'ingredient', id: 'flour', quantity: a }],
            },
            {
              recipeId: 'dough',
              name: 'd',
              yieldQuantity: 5,
              yieldUnit: 'kg',
              wasteFactor: 0,
              batchMinutes: 1,
              components: [
                { kind: 'recipe', id: 'starter', quantity: b },
                { kind: 'ingredient', id: 'flour', quantity: 1 },
              ],
            },
            {
              recipeId: 'loaf',
              name: 'l',
              yieldQuantity: 10,
              yieldUnit: 'unit',
              wasteFactor: 0,
              batchMinutes: 1,
              components: [{ kind: 'recipe', id: 'dough', quantity: 5 }],
            },
          ];
          const flour = explodeRecipe('loaf', units, byId(recipes)).get('flour')!;
          const doughKg = (units / 10) * 5;
          const expected = (doughKg / 5) * ((b / 2) * a + 1);
          expect(flour).toBeCloseTo(expected, 6);
        },
      ),
    );
  });

  it('names a missing sub-recipe and the path that uses it', () => {
    const recipes = smallCatalog().recipes.filter((r) => r.recipeId !== 'dough');
    expect(() => explodeRecipe('bake-baguette', 1, byId(recipes))).toThrow(
      'Recipe "dough" is missing (used by bake-baguette).',
    );
  });

  it('refuses a recipe cycle instead of recursing forever', () => {
    const recipes: Recipe[] = [
      {
        recipeId: 'a',
        name: 'a',
        yieldQuantity: 1,
        yieldUnit: 'kg',
        wasteFactor: 0,
        batchMinutes: 1,
        components: [{ kind: 'recipe', id: 'b', quantity: 1 }],
      },
      {
        recipeId: 'b',
        name: 'b',
        yieldQuantity: 1,
        yieldUnit: 'kg',
        wasteFactor: 0,
        batchMinutes: 1,
        components: [{ kind: 'recipe', id: 'a', quantity: 1 }],
      },
    ];
    expect(() => explodeRecipe('a', 1, byId(recipes))).toThrow(RecipeError);
    expect(() => explodeRecipe('a', 1, byId(recipes))).toThrow('Recipe cycle: a → b → a.');
  });
});

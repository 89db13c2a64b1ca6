// Recipe explosion: how much of each purchased ingredient a quantity of a recipe's output needs,
// through any depth of sub-recipes (levain → dough → baguette), with each level's waste factor.

import type { Recipe } from '../domain.ts';
import { PlannerError } from '../errors.ts';

export class RecipeError extends PlannerError {
  constructor(message: string) {
    super('invalid', message, { field: 'recipes' });
  }
}

/**
 * Ingredient quantities (in each ingredient's unit) needed to produce `outputQuantity` good units of
 * a recipe's output. Waste is lost output: producing q good units takes q / (1 − waste) of inputs.
 */
export function explodeRecipe(
  recipeId: string,
  outputQuantity: number,
  recipesById: ReadonlyMap<string, Recipe>,
  into: Map<string, number> = new Map(),
  path: readonly string[] = [],
): Map<string, number> {
  const recipe = recipesById.get(recipeId);
  if (!recipe)
    throw new RecipeError(`Recipe "${recipeId}" is missing${path.length ? ` (used by ${path.join(' → ')})` : ''}.`);
  if (path.includes(recipeId)) throw new RecipeError(`Recipe cycle: ${[...path, recipeId].join(' → ')}.`);
  if (!(recipe.yieldQuantity > 0)) throw new RecipeError(`Recipe "${recipeId}" must yield a positive quantity.`);
  if (!(recipe.wasteFactor >= 0 && recipe.wasteFactor < 1))
    throw new RecipeError(`Recipe "${recipeId}" waste factor must be in [0, 1).`);
  const yields = outputQuantity / (recipe.yieldQuantity * (1 - recipe.wasteFactor));
  for (const component of recipe.components) {
    const quantity = component.quantity * yields;
    if (component.kind === 'recipe') explodeRecipe(component.id, quantity, recipesById, into, [...path, recipeId]);
    else into.set(component.id, (into.get(component.id) ?? 0) + quantity);
  }
  return into;
}

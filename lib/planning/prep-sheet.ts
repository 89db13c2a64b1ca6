// The baker's prep sheet: each batch of the day with the weights of what goes into it, and before it
// the sub-recipes (doughs, preferments) to make — each started its lead time before the batch that uses
// it, the evening before where that falls before midnight. Weights are the recipes' exploded
// quantities, waste included, in each ingredient's unit.
import type { Batch, Catalog, ProductionSchedule, QuantityUnit, Recipe } from '../domain.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';

interface PrepWeight {
  kind: 'ingredient' | 'recipe';
  id: string;
  name: string;
  quantity: number;
  unit: QuantityUnit;
}

export interface PrepTask {
  /** The local day and time to start: the plan date, or the evening before. */
  day: LocalDate;
  startsAt: string;
  kind: 'prep' | 'bake';
  /** The recipe made (a sub-recipe for a prep, the product's for a bake). */
  recipeId: string;
  name: string;
  quantity: number;
  unit: QuantityUnit;
  /** The batch it serves. */
  batchNumber: string;
  equipmentId: string | null;
  /** What goes in: ingredients by weight, and the sub-recipes made before. */
  weights: PrepWeight[];
}

export interface PrepSheet {
  planDate: LocalDate;
  /** Every task in the order a baker works: by day and start time, preps before the bake they serve. */
  tasks: PrepTask[];
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Minutes since the plan date's midnight of "HH:MM". */
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function at(planDate: LocalDate, minutes: number): { day: LocalDate; startsAt: string } {
  const dayOffset = Math.floor(minutes / 1440);
  const within = minutes - dayOffset * 1440;
  const hh = String(Math.floor(within / 60)).padStart(2, '0');
  const mm = String(Math.round(within % 60)).padStart(2, '0');
  return { day: addDays(planDate, dayOffset), startsAt: `${hh}:${mm}` };
}

export function prepSheet(schedule: ProductionSchedule, catalog: Catalog): PrepSheet {
  const recipes = new Map(catalog.recipes.map((r) => [r.recipeId, r]));
  const names = new Map(catalog.ingredients.map((i) => [i.ingredientId, i]));
  const tasks: PrepTask[] = [];
  /** A recipe made for `quantity` of its output, starting `minutes` after the plan date's midnight; its sub-recipes before it. */
  const make = (
    recipe: Recipe,
    quantity: number,
    minutes: number,
    kind: PrepTask['kind'],
    batch: Batch,
    name: string,
  ): void => {
    const yields = quantity / (recipe.yieldQuantity * (1 - recipe.wasteFactor));
    const weights: PrepWeight[] = recipe.components.map((component) => {
      const amount = round3(component.quantity * yields);
      if (component.kind === 'recipe') {
        const sub = recipes.get(component.id);
        if (!sub) return { kind: 'recipe', id: component.id, name: component.id, quantity: amount, unit: 'unit' };
        const lead = sub.prepLeadMinutes ?? sub.batchMinutes;
        make(sub, amount, minutes - lead, 'prep', batch, sub.name);
        return { kind: 'recipe', id: sub.recipeId, name: sub.name, quantity: amount, unit: sub.yieldUnit };
      }
      const ingredient = names.get(component.id);
      return {
        kind: 'ingredient',
        id: component.id,
        name: ingredient?.name ?? component.id,
        quantity: amount,
        unit: ingredient?.unit ?? 'unit',
      };
    });
    tasks.push({
      ...at(schedule.planDate, minutes),
      kind,
      recipeId: recipe.recipeId,
      name,
      quantity: round3(quantity),
      unit: recipe.yieldUnit,
      batchNumber: batch.batchNumber,
      equipmentId: kind === 'bake' ? batch.equipmentId : (recipe.equipmentId ?? null),
      weights,
    });
  };
  const products = new Map(catalog.products.map((p) => [p.productId, p.name]));
  for (const batch of schedule.batches) {
    const recipe = recipes.get(batch.recipeId);
    if (!recipe) continue;
    make(
      recipe,
      batch.quantity,
      minutesOf(batch.startsAt),
      'bake',
      batch,
      products.get(batch.productId) ?? batch.productId,
    );
  }
  const order = (t: PrepTask) => `${t.day} ${t.startsAt} ${t.kind === 'prep' ? 0 : 1} ${t.batchNumber}`;
  return { planDate: schedule.planDate, tasks: tasks.sort((a, b) => order(a).localeCompare(order(b))) };
}

import { describe, expect, it } from 'vitest';
import { requestsRegeneration, staleDataPhrase } from '../../lib/workflow/rejection.ts';

describe('rejection analysis', () => {
  it.each([
    'stale',
    'STALE stock figures',
    'Inventory is outdated',
    'based on OLD DATA from Monday',
    'Los datos ANTIGUOS del inventario',
    'Inventario desactualizado',
    'la información está DESACTUALIZADA',
    'Datos obsoletos',
    'plan obsoleto',
    'Los datos antíguos',
    'out of date counts',
  ])('regenerates for "%s"', (reason) => {
    expect(requestsRegeneration(reason)).toBe(true);
  });

  it.each([
    'too expensive',
    'wrong supplier',
    'please split the flour order',
    'datos correctos pero caro',
    'the bakery is old',
    '',
  ])('waits for a person for "%s"', (reason) => {
    expect(requestsRegeneration(reason)).toBe(false);
  });

  it('names the phrase it found', () => {
    expect(staleDataPhrase('Los datos ANTIGUOS del inventario')).toBe('datos antiguos');
  });
});

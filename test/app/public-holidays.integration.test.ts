// A tenant's public-holiday calendar through the API on DynamoDB Local: set by code, stored upper-case,
// refused when unknown with what exists named.
import { describe, expect, it } from 'vitest';
import { tenantClaims } from '../support/api.ts';
import { plannedApi } from '../support/planned-api.ts';

describe("a tenant's public-holiday calendar", () => {
  it('is set by its code, kept upper-case, and refused when the calendars do not know it', async () => {
    const api = await plannedApi();
    const claims = tenantClaims('a');
    const set = await api.call('PUT', '/tenants/a', { claims, body: { publicHolidays: 'de-by' } });
    expect(set.status).toBe(200);
    expect(set.body.publicHolidays).toBe('DE-BY');
    expect((await api.stack.ports.tenants.getTenant('a'))?.publicHolidays).toBe('DE-BY');
    const refused = await api.call('PUT', '/tenants/a', { claims, body: { publicHolidays: 'FRA' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/"FRA" is not a country of the holiday calendars \(did you mean "FR"\?\)/);
    const state = await api.call('PUT', '/tenants/a', { claims, body: { publicHolidays: 'DE-XY' } });
    expect(state.body.error).toMatch(/DE has no state "XY"/);
    expect((await api.stack.ports.tenants.getTenant('a'))?.publicHolidays).toBe('DE-BY');
  });
});

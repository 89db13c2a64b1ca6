// Test support: one valid JSON body per API route that takes one, for bakery "a" of the seeded tests
// (the small catalog, plans of 2026-11-28): what the hostile suites mutate and the contract test sends.
import { smallCatalog } from './local-stack.ts';
import { PLAN_DATE } from './planned-api.ts';

export const VALID_BODIES: Record<string, unknown> = {
  'POST /tenants': { tenantId: 'fuzz-new', name: 'New bakery', timezone: 'Asia/Kolkata' },
  'PUT /tenants/{tenantId}': { name: 'Boulangerie A' },
  'PUT /tenants/{tenantId}/catalog': smallCatalog(),
  'PUT /tenants/{tenantId}/stock': {
    finishedGoods: [{ productId: 'cookie', quantity: 3, producedOn: '2026-11-27' }],
    ingredients: [{ ingredientId: 'flour', quantity: 40, expiresOn: '2027-03-01' }],
    openOrders: [],
  },
  'POST /tenants/{tenantId}/actuals': {
    actuals: [{ date: '2026-11-27', productId: 'cookie', sold: 4, leftover: 0, carriedOver: 0, soldOutAt: '13:00' }],
  },
  'POST /tenants/{tenantId}/sales': {
    rows: [{ productId: 'cookie', date: '2026-11-27', units: 4 }],
    closedDates: ['2026-11-01'],
  },
  // The contract test approves version 2 after approving its flour line alone (revision 1 → 2).
  'POST /tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/status': {
    status: 'approved',
    reason: 'fine',
    expectedRevision: 2,
  },
  'POST /tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/line-approvals': {
    ingredientIds: ['flour'],
    expectedRevision: 1,
  },
  'POST /tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/modifications': {
    changes: [{ ingredientId: 'flour', orderQuantity: 50 }],
    reason: 'more',
    expectedRevision: 1,
  },
  'POST /runs': { job: 'production', planDate: PLAN_DATE, tenantIds: ['a'] },
  'POST /tenants/{tenantId}/webhooks': {
    url: 'https://erp.example.com/hooks',
    eventTypes: ['procurement.plan.generated'],
    description: 'ERP',
  },
  'PUT /tenants/{tenantId}/webhooks/{endpointId}': { description: 'ERP', enabled: true },
  'POST /tenants/{tenantId}/webhooks/{endpointId}/rotate-secret': { overlapHours: 1 },
  'POST /tenants/{tenantId}/webhooks/{endpointId}/replay': { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' },
};

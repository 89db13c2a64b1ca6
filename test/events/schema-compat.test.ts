import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE } from '../../lib/events/catalogue.ts';
import { breakingChanges, publishedSchemas, registrySchema, SCHEMA_MAJOR } from '../../lib/events/schema-compat.ts';

const folder = new URL(`../../docs/schemas/events/${SCHEMA_MAJOR}/`, import.meta.url);

describe('the published event schemas', () => {
  it("are the catalogue's, one file per event type, and none breaks what subscribers of this major version rely on", () => {
    const generated = publishedSchemas();
    expect(readdirSync(folder).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, schema] of Object.entries(generated)) {
      const committed = JSON.parse(readFileSync(new URL(name, folder), 'utf8'));
      // A breaking change needs a new major version (SCHEMA_VERSION), not an edit of this one.
      expect(breakingChanges(committed, schema), `${name}: bump SCHEMA_VERSION's major version`).toEqual([]);
      expect(committed, `${name} is stale: npm run docs:events`).toEqual(schema);
    }
  });

  it('tells breaking changes from additions', () => {
    const v1 = {
      type: 'object',
      properties: {
        planId: { type: 'string' },
        status: { type: 'string', enum: ['draft', 'approved'] },
        lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'number' } }, required: ['qty'] } },
        note: { type: 'string' },
      },
      required: ['planId', 'status', 'lines'],
    };
    const change = (f: (s: any) => void) => {
      const copy = structuredClone(v1) as any;
      f(copy);
      return breakingChanges(v1, copy);
    };
    expect(change((s) => (s.properties.extra = { type: 'string' }))).toEqual([]);
    expect(change((s) => s.required.push('note'))).toEqual([]);
    expect(change((s) => (s.properties.status.enum = ['draft']))).toEqual([]);
    expect(change((s) => delete s.properties.note)).toEqual(['$.note: removed']);
    expect(change((s) => (s.required = ['planId', 'lines']))).toEqual(['$.status: no longer always present']);
    expect(change((s) => (s.properties.planId.type = 'integer'))).toEqual(['$.planId: type "string" became "integer"']);
    expect(change((s) => s.properties.status.enum.push('lost'))).toEqual([
      '$.status: can now take values outside ["draft","approved"]',
    ]);
    expect(change((s) => (s.properties.lines.items.required = []))).toEqual([
      '$.lines.[].qty: no longer always present',
    ]);
  });

  it('go to the schema registry as EventBridge events (OpenAPI 3, source and detail-type), for code bindings', () => {
    const schema = registrySchema('procurement.plan.generated', EVENT_SOURCE) as any;
    expect(schema.components.schemas.AWSEvent).toMatchObject({
      'x-amazon-events-source': EVENT_SOURCE,
      'x-amazon-events-detail-type': 'procurement.plan.generated',
      properties: { detail: { $ref: '#/components/schemas/Detail' } },
    });
    expect(schema.components.schemas.Detail.required).toContain('totalCost');
  });
});

import { describe, expect, it } from 'vitest';
import { EVENT_DETAIL_TYPES, eventId, eventJsonSchema, planEvent, SCHEMA_VERSION } from '../../lib/events/catalogue.ts';

const base = {
  tenantId: 't1',
  planId: 'prod-t1-2026-11-28',
  planDate: '2026-11-28',
  occurredAt: '2026-11-28T04:30:00Z',
};

describe('the event catalogue', () => {
  it('gives the same fact the same id and different facts different ids', () => {
    expect(eventId('production.schedule.generated', 'p1')).toBe(eventId('production.schedule.generated', 'p1'));
    expect(eventId('production.schedule.generated', 'p1')).not.toBe(eventId('production.schedule.generated', 'p2'));
    expect(eventId('production.schedule.generated', 'p1')).not.toBe(eventId('procurement.plan.generated', 'p1'));
  });

  it('fills the envelope and validates the payload', () => {
    const event = planEvent('plan.escalation.unapproved', ['p1', '2026-11-28'], {
      ...base,
      kind: 'production',
      status: 'draft',
      deadline: '10:00',
    });
    expect(event.detail).toMatchObject({
      ...base,
      schemaVersion: SCHEMA_VERSION,
      eventId: eventId('plan.escalation.unapproved', 'p1', '2026-11-28'),
    });
    expect(() =>
      planEvent('plan.escalation.unapproved', ['p1'], {
        ...base,
        kind: 'bakery' as never,
        status: 'draft',
        deadline: '10:00',
      }),
    ).toThrow();
  });

  it('has a JSON Schema for every event that requires the envelope fields', () => {
    expect(EVENT_DETAIL_TYPES).toEqual(
      expect.arrayContaining([
        'production.schedule.generated',
        'procurement.plan.generated',
        'procurement.plan.status_changed',
        'procurement.plan.rejected',
        'procurement.plan.regeneration_requested',
      ]),
    );
    for (const type of EVENT_DETAIL_TYPES) {
      const schema = eventJsonSchema(type) as { required: string[]; properties: Record<string, unknown> };
      expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'schemaVersion', 'tenantId', 'occurredAt']));
      // Every event is about a plan but a webhook endpoint's.
      if (!type.startsWith('webhook.')) expect(schema.required).toEqual(expect.arrayContaining(['planId', 'planDate']));
    }
  });
});

describe('docs/events.md', () => {
  it('is the rendering of the catalogue (run `npm run docs:events` after changing an event)', async () => {
    const { readFileSync } = await import('node:fs');
    const { renderEventsDoc } = await import('../../lib/events/events-doc.ts');
    expect(readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8')).toBe(renderEventsDoc());
  });
});

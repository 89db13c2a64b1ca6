import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../lib/aws/eventbridge-publisher.ts';
import { EVENT_SOURCE, planEvent } from '../../lib/events/catalogue.ts';
import { PublishRefusedError } from '../../lib/ports.ts';

const eventBridge = mockClient(EventBridgeClient);
const events = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    planEvent('plan.escalation.unapproved', [`p${i}`], {
      tenantId: 't1',
      planId: `p${i}`,
      planDate: '2026-11-28',
      occurredAt: '2026-11-28T04:50:00Z',
      kind: 'production',
      status: 'draft',
      deadline: '10:00',
    }),
  );

describe('the EventBridge publisher', () => {
  beforeEach(() => eventBridge.reset());

  it('puts at most ten entries per call, on the bus, with the source and detail-type', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'x' })),
    }));
    await new EventBridgePublisher(eventBridge as unknown as EventBridgeClient, 'plans', 0).publish(events(12));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[0]!.args[0].input.Entries![0]).toMatchObject({
      EventBusName: 'plans',
      Source: EVENT_SOURCE,
      DetailType: 'plan.escalation.unapproved',
    });
    expect(JSON.parse(calls[0]!.args[0].input.Entries![0]!.Detail!)).toMatchObject({
      planId: 'p0',
      schemaVersion: '2.0',
    });
  });

  it('retries only the entries that failed', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { EventId: 'c' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    await new EventBridgePublisher(eventBridge as unknown as EventBridgeClient, 'plans', 0).publish(events(3));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).planId)).toEqual(['p1']);
  });

  it('reports entries that keep failing', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    await expect(
      new EventBridgePublisher(eventBridge as unknown as EventBridgeClient, 'plans', 0).publish(events(1)),
    ).rejects.toThrow(/1 event\(s\) after 5 attempts: InternalFailure: boom/);
  });

  it('names the entries the bus did not take, so that the delivered ones are not sent again', async () => {
    // The bus refuses p1 every time, and takes everything else.
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((e) =>
        JSON.parse(e.Detail).planId === 'p1' ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'no' } : { EventId: 'x' },
      ),
    }));
    const sent = events(2);
    const error = await new EventBridgePublisher(eventBridge as unknown as EventBridgeClient, 'plans', 0)
      .publish(sent)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishRefusedError);
    expect(error).toMatchObject({ permanent: true, refused: true, undelivered: [sent[1]!.detail.eventId] });
  });

  it('names every batch not sent when the bus cannot be reached part way, as not refused', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: Array.from({ length: 10 }, () => ({ EventId: 'x' })) })
      .rejects(new Error('connect ETIMEDOUT'));
    const sent = events(12);
    const error = await new EventBridgePublisher(eventBridge as unknown as EventBridgeClient, 'plans', 0)
      .publish(sent)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      permanent: false,
      refused: false,
      undelivered: sent.slice(10).map((e) => e.detail.eventId),
    });
  });
});

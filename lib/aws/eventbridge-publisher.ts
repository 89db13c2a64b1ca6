// Publishes plan events to the bus, at most ten entries per PutEvents call, retrying only the
// entries that failed.
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type PlanEvent } from '../events/catalogue.ts';
import { type EventPublisher, PublishRefusedError } from '../ports.ts';

const TRANSIENT_CODES = ['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable'];

import { MAX_SEND_ATTEMPTS, sendInBatches } from './batched-retry.ts';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly busName: string,
    private readonly backoffMs = 100,
  ) {}

  async publish(events: readonly PlanEvent[]): Promise<void> {
    await sendInBatches(
      events,
      10,
      this.backoffMs,
      async (batch) => {
        const result = await this.eventBridge.send(
          new PutEventsCommand({
            Entries: batch.map((event) => ({
              EventBusName: this.busName,
              Source: EVENT_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
              Time: new Date(event.detail.occurredAt),
            })),
          }),
        );
        // Entries come back in request order; a failed one carries an ErrorCode.
        const entries = result.Entries ?? [];
        return {
          failed: batch.filter((_, index) => entries[index]?.ErrorCode),
          errors: entries.filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`),
        };
      },
      (pending, errors) =>
        new PublishRefusedError(
          `EventBridge refused ${pending.length} event(s) after ${MAX_SEND_ATTEMPTS} attempts: ${errors.join('; ')}`,
          // Throttling and internal failures pass; anything else is about the events themselves.
          !errors.every((e) => TRANSIENT_CODES.some((code) => e.startsWith(`${code}:`))),
        ),
    );
  }
}

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
    // What reached the bus, so that a failure names exactly the others (and nothing is sent twice).
    const delivered = new Set<string>();
    const undelivered = () => events.map((e) => e.detail.eventId).filter((id) => !delivered.has(id));
    try {
      await this.send(events, delivered);
    } catch (error) {
      if (error instanceof PublishRefusedError)
        throw new PublishRefusedError(error.message, error.permanent, undelivered());
      throw new PublishRefusedError(`EventBridge could not be reached: ${String(error)}`, false, undelivered(), false);
    }
  }

  private async send(events: readonly PlanEvent[], delivered: Set<string>): Promise<void> {
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
        batch.forEach((event, index) => {
          if (!entries[index]?.ErrorCode) delivered.add(event.detail.eventId);
        });
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

// Publishes plan events to the bus, at most ten entries per PutEvents call, retrying only the
// entries that failed.
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type PlanEvent } from '../events/catalogue.ts';
import type { EventPublisher } from '../ports.ts';

const MAX_ATTEMPTS = 5;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly busName: string,
    private readonly backoffMs = 100,
  ) {}

  async publish(events: readonly PlanEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      let pending = events.slice(i, i + 10);
      let lastErrors: string[] = [];
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new Error(`EventBridge refused ${pending.length} event(s) after ${MAX_ATTEMPTS} attempts: ${lastErrors.join('; ')}`);
        }
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** (attempt - 1)));
        const result = await this.eventBridge.send(
          new PutEventsCommand({
            Entries: pending.map((event) => ({
              EventBusName: this.busName,
              Source: EVENT_SOURCE,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
              Time: new Date(event.detail.occurredAt),
            })),
          }),
        );
        const entries = result.Entries ?? [];
        // Entries come back in request order; a failed one carries an ErrorCode.
        lastErrors = entries.filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        pending = pending.filter((_, index) => entries[index]?.ErrorCode);
      }
    }
  }
}

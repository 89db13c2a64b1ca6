// An embedded stand-in for the EventBridge bus: keeps every published event and tells subscribers.
import type { PlanEvent } from '../events/catalogue.ts';
import type { EventPublisher } from '../ports.ts';

export type EventSubscriber = (event: PlanEvent) => void | Promise<void>;

export class LocalEventBus implements EventPublisher {
  readonly published: PlanEvent[] = [];
  private readonly subscribers: EventSubscriber[] = [];

  subscribe(subscriber: EventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async publish(events: readonly PlanEvent[]): Promise<void> {
    for (const event of events) {
      this.published.push(event);
      for (const subscriber of this.subscribers) await subscriber(event);
    }
  }

  /** Distinct events by id, as a deduplicating subscriber sees them. */
  distinct(): PlanEvent[] {
    return [...new Map(this.published.map((e) => [e.detail.eventId, e])).values()];
  }
}

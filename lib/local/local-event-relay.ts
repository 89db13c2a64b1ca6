// The local stand-in for the event relay's event source: reads DynamoDB Local's table stream as the
// Lambda event source mapping does — shard by shard, in order, from the last record done — and hands
// each batch to the same relay. A batch that stops at a record (the bus did not take its events) is
// read again from that record on the next pump, as the mapping retries it. It filters on the items'
// `type` as the mapping's filter criteria do (EVENT_ITEM_TYPES).
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { type RelayResult, relayEvents } from '../app/event-relay.ts';
import { EVENT_ITEM_TYPES } from '../aws/dynamodb/table-layout.ts';
import { changedItemOf, type StreamRecord } from '../aws/stream-records.ts';
import type { PlannerPorts } from '../ports.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_ITEM_TYPES);

export class LocalEventRelay {
  /** shard id → sequence number of the last record done. */
  private readonly done = new Map<string, string>();
  private ports: () => PlannerPorts;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    ports: () => PlannerPorts,
  ) {
    this.ports = ports;
  }

  static forTable(endpoint: string, streamArn: string, ports: () => PlannerPorts): LocalEventRelay {
    return new LocalEventRelay(new DynamoDBStreamsClient({ endpoint }), streamArn, ports);
  }

  /** The ports the relay publishes through (tests inject faults into them). */
  usePorts(ports: () => PlannerPorts): void {
    this.ports = ports;
  }

  /** Relays every record written since the last pump; stops a shard at the first record not done. */
  async pump(): Promise<RelayResult> {
    const total: RelayResult = { published: 0, deadLettered: 0 };
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    const shards = [...(StreamDescription?.Shards ?? [])].sort((a, b) =>
      (a.SequenceNumberRange?.StartingSequenceNumber ?? '').localeCompare(
        b.SequenceNumberRange?.StartingSequenceNumber ?? '',
        undefined,
        { numeric: true },
      ),
    );
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      const after = this.done.get(shardId);
      let { ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      while (iterator) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        if (records.length === 0) break;
        // The event source's filter: only items of the types that carry events reach the relay.
        const items = records
          .filter((r) => EVENT_TYPES.has(r.dynamodb?.NewImage?.type?.S ?? ''))
          .map((r) => changedItemOf(r as StreamRecord))
          .filter((i) => i !== null);
        const result = await relayEvents(this.ports(), items);
        total.published += result.published;
        total.deadLettered += result.deadLettered;
        const stop = result.retryFrom ? records.findIndex((r) => sequenceOf(r) === result.retryFrom) : -1;
        const last = stop === -1 ? records.at(-1) : records[stop - 1];
        if (last) this.done.set(shardId, sequenceOf(last));
        if (stop !== -1) return { ...total, retryFrom: result.retryFrom };
        iterator = page.NextShardIterator;
      }
    }
    return total;
  }
}

const sequenceOf = (record: StreamApiRecord) => record.dynamodb?.SequenceNumber ?? '';

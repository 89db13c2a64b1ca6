// Upgrade step for tables written by versions that kept events in outbox items (`OUTBOX#<eventId>`,
// published and deleted by the jobs): puts each such event back on the table's stream as an
// `EventReplay` item, which the event relay publishes with its id unchanged, and deletes the outbox
// item. Run once after deploying the event relay:
//   npx tsx scripts/replay-outbox.ts --table <TableName> [--endpoint http://localhost:8000]
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, type TableContext } from '../lib/aws/dynamodb/client.ts';

const REPLAY_TTL_SECONDS = 86_400;

export async function replayOutbox(ctx: TableContext, now = new Date()): Promise<number> {
  let replayed = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tableName,
        FilterExpression: 'begins_with(SK, :outbox)',
        ExpressionAttributeValues: { ':outbox': 'OUTBOX#' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const eventId = String(item.SK).slice('OUTBOX#'.length);
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: {
            PK: item.PK,
            SK: `REPLAY#${eventId}`,
            type: 'EventReplay',
            events: [item.event],
            expiresAt: Math.floor(now.getTime() / 1000) + REPLAY_TTL_SECONDS,
          },
        }),
      );
      await ctx.doc.send(new DeleteCommand({ TableName: ctx.tableName, Key: { PK: item.PK, SK: item.SK } }));
      replayed += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return replayed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const tableName = arg('table');
  if (!tableName) {
    console.error('Usage: npx tsx scripts/replay-outbox.ts --table <TableName> [--endpoint <url>]');
    process.exit(2);
  }
  const endpoint = arg('endpoint');
  const replayed = await replayOutbox({ doc: documentClient(endpoint ? { endpoint } : {}), tableName });
  console.log(`${replayed} outbox event(s) put back on the stream for the event relay`);
}

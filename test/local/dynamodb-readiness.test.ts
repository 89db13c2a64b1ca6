// Waiting for DynamoDB: a slow endpoint is waited for with progress lines, and one that never answers
// fails with a message that says how to allow longer. No Java is started here.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.ts';

const saved = process.env.DYNAMODB_ENDPOINT;
let server: Server | undefined;
afterEach(() => {
  server?.close();
  if (saved === undefined) delete process.env.DYNAMODB_ENDPOINT;
  else process.env.DYNAMODB_ENDPOINT = saved;
});

/** A TCP port that accepts connections and never answers: a machine too busy to serve. */
async function silentEndpoint(): Promise<string> {
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('waiting for DynamoDB', () => {
  it('reports progress while it waits and names the setting that allows longer when it gives up', async () => {
    process.env.DYNAMODB_ENDPOINT = await silentEndpoint();
    const lines: string[] = [];
    await expect(
      startDynamoDbLocal({ timeoutMs: 1_500, progressEveryMs: 300, progress: (line) => lines.push(line) }),
    ).rejects.toThrow(/did not answer within 1\.5 s.*DYNAMODB_LOCAL_START_SECONDS/s);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/still waiting for http:\/\/127\.0\.0\.1:\d+ after \d+ s \(limit 1\.5 s\)/);
  });

  it('takes its limit from DYNAMODB_LOCAL_START_SECONDS', async () => {
    process.env.DYNAMODB_ENDPOINT = await silentEndpoint();
    process.env.DYNAMODB_LOCAL_START_SECONDS = '1';
    try {
      await expect(startDynamoDbLocal({ progress: () => undefined })).rejects.toThrow(/within 1 s/);
    } finally {
      delete process.env.DYNAMODB_LOCAL_START_SECONDS;
    }
  });
});

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.ts';

const saved = { PATH: process.env.PATH, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT };
afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.DYNAMODB_ENDPOINT === undefined) delete process.env.DYNAMODB_ENDPOINT;
  else process.env.DYNAMODB_ENDPOINT = saved.DYNAMODB_ENDPOINT;
});

describe('DynamoDB Local', () => {
  it('starts on a free port, answers, and is gone after stop', async () => {
    delete process.env.DYNAMODB_ENDPOINT;
    const dynamo = await startDynamoDbLocal();
    expect(dynamo.started).toBe(true);
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    await dynamo.stop();
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    client.destroy();
  });

  it('says what to install, and the alternative, when Java is missing', async () => {
    delete process.env.DYNAMODB_ENDPOINT;
    process.env.PATH = '/nonexistent';
    await expect(startDynamoDbLocal()).rejects.toThrow(
      /Java is needed.*Install a Java 17\+ runtime.*DYNAMODB_ENDPOINT/s,
    );
  });
});

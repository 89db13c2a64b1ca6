// What a test's storage client sends: each command the DynamoDB document client sends from now on,
// written as the test wants to compare it (a line per command; undefined leaves a command out).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Describe = (command: string, input: Record<string, unknown>) => string | undefined;

let logs = 0;

export function commandLog(
  doc: DynamoDBDocumentClient,
  describe: Describe = (command) => command,
): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  logs += 1;
  const name = `commandLog${logs}`;
  doc.middlewareStack.add(
    (next, context) => (args) => {
      const line = describe(String(context.commandName), args.input as Record<string, unknown>);
      if (line !== undefined) lines.push(line);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { lines, stop: () => doc.middlewareStack.remove(name) };
}

/** The values of a command's expression, in order (the keys and bounds a query or update names). */
export const expressionValues = (input: Record<string, unknown>): unknown[] =>
  Object.values((input.ExpressionAttributeValues as Record<string, unknown> | undefined) ?? {});

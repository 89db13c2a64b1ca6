// Starts the official DynamoDB Local emulator (fetched by scripts/fetch-dynamodb-local.mjs) on a free
// port, in memory, and stops it when asked, on exit, on Ctrl-C and on errors. DYNAMODB_ENDPOINT, when
// set, points at any running DynamoDB instead and nothing is started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export const EMULATOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'dynamodb-local');

export interface RunningDynamoDb {
  endpoint: string;
  /** Whether this process started the emulator (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbLocalError';
  }
}

/** Local credentials and region: DynamoDB Local accepts any, and no AWS account is needed. */
export function useLocalAwsEnvironment(): void {
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  // Local runs use the machine's Node.js (20 works); Lambda runs on Node.js 22+.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess | null, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null) throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode} while starting.`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
  throw new DynamoDbLocalError(`DynamoDB at ${endpoint} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDynamoDbLocal(options: { timeoutMs?: number } = {}): Promise<RunningDynamoDb> {
  useLocalAwsEnvironment();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external) {
    await waitUntilReady(external, null, timeoutMs);
    return { endpoint: external, started: false, stop: async () => undefined };
  }
  if (!existsSync(join(EMULATOR_DIR, 'DynamoDBLocal.jar'))) {
    throw new DynamoDbLocalError(
      `DynamoDB Local is not in ${EMULATOR_DIR}. Run "npm run dynamodb:fetch" (npm install does it), ` +
        'or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new DynamoDbLocalError(
      'Java is needed to run DynamoDB Local and was not found. Install a Java 17+ runtime ' +
        '(Debian/Ubuntu: "apt-get install openjdk-17-jre-headless"; macOS: "brew install openjdk@17"), ' +
        'or set DYNAMODB_ENDPOINT to a running DynamoDB (for example http://localhost:8000).',
    );
  }
  const port = await freePort();
  const child = spawn(
    'java',
    [`-Djava.library.path=${join(EMULATOR_DIR, 'DynamoDBLocal_lib')}`, '-jar', join(EMULATOR_DIR, 'DynamoDBLocal.jar'), '-inMemory', '-disableTelemetry', '-port', String(port)],
    // Its working directory is the emulator's own (ignored) folder: the metadata file it writes stays there.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: EMULATOR_DIR },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, timeoutMs);
  } catch (error) {
    kill();
    throw new DynamoDbLocalError(`${(error as Error).message}\n${stderr}`.trim());
  }
  return {
    endpoint,
    started: true,
    stop: async () => {
      process.off('exit', kill);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      kill();
      await exited;
    },
  };
}

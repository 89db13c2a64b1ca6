// Starts the official DynamoDB Local emulator (fetched by scripts/fetch-dynamodb-local.mjs) on a free
// port, in memory, and stops it when asked, on exit, on Ctrl-C and on errors. DYNAMODB_ENDPOINT, when
// set, points at any running DynamoDB instead and nothing is started.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoConfig } from '../config.ts';
import { PlannerError } from '../errors.ts';

const EMULATOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'dynamodb-local');

export interface RunningDynamoDb {
  endpoint: string;
  /** Whether this process started the emulator (and so stops it). */
  started: boolean;
  stop(): Promise<void>;
}

class DynamoDbLocalError extends PlannerError {
  constructor(message: string) {
    super('unavailable', message);
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
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Probes the endpoint until it answers (a JVM on a busy machine can take a minute), saying every 15 s
 * that it is still waiting; gives up at `timeoutMs`, or at once when the emulator's process exits.
 */
async function waitUntilReady(
  endpoint: string,
  child: ChildProcess | null,
  timeoutMs: number,
  progress: (line: string) => void,
  progressEveryMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const started = Date.now();
  let nextProgress = started + progressEveryMs;
  let lastError: unknown;
  try {
    while (Date.now() - started < timeoutMs) {
      if (child && child.exitCode !== null)
        throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode} while starting.`);
      try {
        // Each probe is cut short: a socket that accepts and never answers must not outlast the limit.
        const remaining = timeoutMs - (Date.now() - started);
        await client.send(new ListTablesCommand({}), {
          abortSignal: AbortSignal.timeout(Math.max(1, Math.min(5_000, remaining))),
        });
        return;
      } catch (error) {
        lastError = error;
        if (Date.now() >= nextProgress) {
          progress(
            `[dynamodb-local] still waiting for ${endpoint} after ${Math.round((Date.now() - started) / 1000)} s (limit ${timeoutMs / 1000} s)…`,
          );
          nextProgress += progressEveryMs;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
  throw new DynamoDbLocalError(
    `DynamoDB at ${endpoint} did not answer within ${timeoutMs / 1000} s (${String(lastError)}). On a busy machine, ` +
      `allow longer with DYNAMODB_LOCAL_START_SECONDS (now ${timeoutMs / 1000}), or point DYNAMODB_ENDPOINT at a running DynamoDB.`,
  );
}

export interface StartOptions {
  /** Default: DYNAMODB_LOCAL_START_SECONDS, else 300 s. */
  timeoutMs?: number;
  /** Where progress lines of a slow start go (default: stderr), every `progressEveryMs` (default 15 s). */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<RunningDynamoDb> {
  useLocalAwsEnvironment();
  const config = localDynamoConfig();
  const timeoutMs = options.timeoutMs ?? config.startTimeoutMs;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const external = config.endpoint;
  if (external) {
    await waitUntilReady(external, null, timeoutMs, progress, options.progressEveryMs ?? 15_000);
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
    [
      `-Djava.library.path=${join(EMULATOR_DIR, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(EMULATOR_DIR, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
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
    await waitUntilReady(endpoint, child, timeoutMs, progress, options.progressEveryMs ?? 15_000);
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

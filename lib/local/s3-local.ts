// S3 for local runs and tests: s3rver (an S3 wire-protocol emulator) in this process, on a free port,
// storing objects in a temporary folder removed when the process exits. One per process, started on
// first use; it never keeps the process alive. S3_ENDPOINT, when set, points at any running S3 instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { localS3Config } from '../config.ts';

/** The bucket local stacks share (each keeps its objects under its table's name). */
export const LOCAL_MODEL_BUCKET = 'models';

let started: Promise<string> | undefined;

async function startS3rver(): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'bakery-planner-s3-'));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: LOCAL_MODEL_BUCKET }],
  });
  const { port } = await server.run();
  server.httpServer?.unref();
  server.httpServer?.on('connection', (socket) => socket.unref());
  return `http://127.0.0.1:${port}`;
}

/** A client of the local S3 (started on first use). */
export async function localS3Client(): Promise<S3Client> {
  const config = localS3Config();
  if (!config.endpoint) started ??= startS3rver();
  return new S3Client({
    endpoint: config.endpoint ?? (await started!),
    forcePathStyle: true,
    region: config.region,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

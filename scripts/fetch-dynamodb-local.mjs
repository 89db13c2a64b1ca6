// Fetches the official DynamoDB Local emulator (shipped inside the npm package
// amplify-dynamodb-simulator) into .cache/dynamodb-local, once. Only the emulator folder is kept.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.cache', 'dynamodb-local');

if (process.env.DYNAMODB_ENDPOINT) {
  console.log(
    `[dynamodb-local] DYNAMODB_ENDPOINT is set (${process.env.DYNAMODB_ENDPOINT}); not fetching the emulator.`,
  );
  process.exit(0);
}
if (existsSync(join(target, 'DynamoDBLocal.jar'))) {
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'ddb-local-'));
try {
  console.log(`[dynamodb-local] fetching ${PACKAGE} from the npm registry…`);
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator'], { stdio: 'inherit' });
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(work, 'package', 'emulator'), target);
  console.log(`[dynamodb-local] ready in ${target} (${readdirSync(target).length} entries)`);
} catch (error) {
  console.error(`[dynamodb-local] could not fetch ${PACKAGE}: ${error.message}
  Check access to the npm registry, or set DYNAMODB_ENDPOINT to an existing DynamoDB endpoint.`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npx cdk synth', () => {
  it('synthesizes offline, without credentials or Docker, bundling every function with the local esbuild', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    };
    for (const key of Object.keys(env)) if (key.startsWith('AWS_')) delete env[key];
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
      env,
      stdio: 'pipe',
      timeout: 240_000,
    });
    const template = JSON.parse(readFileSync(join(out, 'BakeryPlanner.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(8);
    // The model trainer runs the worker's bundle (the same job runner, on the training lane's queue).
    const bundles = readdirSync(out).filter((f) => f.startsWith('asset.'));
    expect(bundles).toHaveLength(7);
    for (const bundle of bundles) expect(readdirSync(join(out, bundle))).toContain('index.mjs');
  }, 300_000);
});

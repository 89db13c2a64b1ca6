// Two projects: unit tests (pure, never start Java) and integration tests (`*.integration.test.ts`,
// against one DynamoDB Local that the global setup starts and waits for as long as a busy machine needs).
// Time limits are hang guards sized for a loaded 2-core machine, not performance checks.
import { defineConfig } from 'vitest/config';

const INTEGRATION = 'test/**/*.integration.test.ts';

export default defineConfig({
  test: {
    env: { AWS_EMF_ENVIRONMENT: 'Local' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [INTEGRATION],
          // Pure tests use every core; they run first, then the integration tests one file at a time.
          maxWorkers: '100%',
          sequence: { groupOrder: 0 },
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [INTEGRATION],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

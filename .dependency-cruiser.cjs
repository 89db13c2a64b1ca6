// The layering of docs/architecture.md, checked by `npm test` (test/architecture/layers.test.ts):
// edges (functions, api, cli, local wiring, infra) → app → ports → domain; adapters (aws, local) implement
// ports and never import app; no cycles. When a rule objects, move the code, not the rule.
const DOMAIN =
  '^lib/(time|forecasting|planning|workflow|jobs|events|metrics|input|webhooks|words)/|^lib/(domain|money|errors|text-table)\\.ts$';
const EDGES = '^(functions|infra)/|^lib/(api|cli|local)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules in a cycle cannot be understood or changed one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain takes data and returns data: no ports, use cases, adapters or edges, no AWS SDK, no I/O.',
      from: { path: DOMAIN },
      to: {
        path: [
          '^lib/(app|aws|local|api|cli|auth)/',
          '^lib/(ports|log|job-signal|config)\\.ts$',
          '^(functions|infra)/',
          '@aws-sdk',
          '^(node:)?(fs|net|http|https|child_process|dgram|os)$',
        ],
      },
    },
    {
      name: 'input-below-domain',
      severity: 'error',
      comment:
        'The input grammar and CSV readers are shared by every edge and job message: they know only dates, money and domain types.',
      from: { path: '^lib/input/' },
      to: { path: '^lib/(forecasting|planning|workflow|jobs|events|metrics)/' },
    },
    {
      name: 'ports-below-app',
      severity: 'error',
      comment:
        'Ports, logging, configuration and the job signal are what use cases and adapters share: they import neither.',
      from: { path: '^lib/(ports|log|job-signal|config)\\.ts$' },
      to: { path: ['^lib/(app|aws|local|api|cli|auth)/', '^(functions|infra)/'] },
    },
    {
      name: 'app-below-edges-and-adapters',
      severity: 'error',
      comment: 'Use cases compose the domain and ports; they never reach an adapter or an edge.',
      from: { path: '^lib/app/' },
      to: { path: ['^lib/(aws|local|api|cli|auth)/', '^(functions|infra)/', '@aws-sdk'] },
    },
    {
      name: 'adapters-never-import-app',
      severity: 'error',
      comment: 'Adapters implement ports; the use cases call them, not the other way round.',
      from: { path: ['^lib/aws/', '^lib/local/(local-bus|local-queue|local-ports|dynamodb-local|local-token)\\.ts$'] },
      to: { path: ['^lib/(app|api|cli)/', '^(functions|infra)/'] },
    },
    {
      name: 'api-never-imports-adapters',
      severity: 'error',
      comment: 'The API edge speaks to use cases through ports; which adapter is behind them is wiring.',
      from: { path: '^lib/api/' },
      to: { path: '^lib/(aws|local|cli)/' },
    },
    {
      name: 'local-never-imports-cli',
      severity: 'error',
      comment: 'The CLI drives the local run, not the other way round.',
      from: { path: '^lib/local/' },
      to: { path: '^lib/cli/' },
    },
    {
      name: 'only-wiring-imports-functions',
      severity: 'error',
      comment:
        'Handlers are entry points: only the local wiring (which serves the same handlers) and tests import them.',
      from: { path: '^lib/', pathNot: '^lib/local/' },
      to: { path: '^functions/' },
    },
    {
      name: 'nothing-imports-infra',
      severity: 'error',
      from: { path: '^(lib|functions)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'edges-are-not-libraries',
      severity: 'error',
      comment: 'Nothing below the edges imports an edge.',
      from: { path: '^lib/', pathNot: EDGES },
      to: { path: EDGES },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|scripts)/' },
  },
};

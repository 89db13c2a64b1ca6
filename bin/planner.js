#!/usr/bin/env node
// The `planner` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/planner.ts');

// The CLI's default API and its session: `login --api http://127.0.0.1:8787` is used by every command
// that does not name the API, however the loopback address is spelled.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameApi, sessionBearer } from '../../lib/cli/session.ts';
import { cliConfig } from '../../lib/config.ts';

describe('the CLI’s API and session', () => {
  it('defaults to the address the local server prints', () => {
    expect(cliConfig({}).api).toBe('http://127.0.0.1:8787');
  });

  it('takes localhost, 127.0.0.1 and ::1 for the same API, and nothing else', () => {
    expect(sameApi('http://localhost:8787/', 'http://127.0.0.1:8787')).toBe(true);
    expect(sameApi('http://[::1]:8787', 'http://localhost:8787')).toBe(true);
    expect(sameApi('http://127.0.0.1:8788', 'http://127.0.0.1:8787')).toBe(false);
    expect(sameApi('https://127.0.0.1:8787', 'http://127.0.0.1:8787')).toBe(false);
    expect(sameApi('https://api.example.com/prod/', 'https://api.example.com/prod')).toBe(true);
    expect(sameApi('https://api.example.com/prod', 'https://api.example.com/dev')).toBe(false);
  });

  it('uses the session signed in at 127.0.0.1 for a command pointed at localhost, and no other API’s', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'planner-session-')), 'session.json');
    const session = {
      api: 'http://127.0.0.1:8787',
      bearer: 'the-bearer',
      expiresAt: Date.now() + 3_600_000,
      tokenUrl: 'http://127.0.0.1:8787/local-issuer/token',
      clientId: 'planner-cli',
      bearerKind: 'id_token',
    };
    writeFileSync(file, JSON.stringify(session));
    expect(await sessionBearer('http://localhost:8787', file)).toBe('the-bearer');
    expect(await sessionBearer('https://api.example.com', file)).toBeNull();
  });
});

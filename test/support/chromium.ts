// Test support: the Chromium the browser tests drive (Debian's `chromium`; .ci/run installs it).
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((path): path is string => !!path && existsSync(path));
  if (!found)
    throw new Error(
      'No Chromium found: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH.',
    );
  return found;
}

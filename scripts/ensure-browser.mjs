// Finds a Chromium for the end-to-end tests: DUET_CHROMIUM, Debian's /usr/bin/chromium, or
// Playwright's own download. With none, tries to get one, else stops with what to install.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

export function findChromium() {
  const candidates = [process.env.DUET_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* Playwright has no browser of its own installed */
  }
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (findChromium()) process.exit(0);
  console.error('No Chromium found for the end-to-end tests; trying to install one…');
  const isRoot = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get') && isRoot
    ? spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' })
    : null;
  if (!(apt && apt.status === 0 && findChromium())) {
    spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  }
  if (!findChromium()) {
    console.error(
      'Could not get a Chromium. Install one (Debian/Ubuntu: `sudo apt-get install chromium`; elsewhere: `npx playwright install chromium`) or point DUET_CHROMIUM at a Chrome/Chromium binary, then run the tests again.',
    );
    process.exit(1);
  }
}

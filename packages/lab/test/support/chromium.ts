// Debian's Chromium driven by playwright-core against the built site on 127.0.0.1 (the browser tests and the
// benchmark share it): a fresh user-data directory per launch, no network beyond the site.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { serveSite, type SiteServer } from '../../src/node/index.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = `${CHROMIUM} is missing: install Debian's \`chromium\` package (apt-get install chromium) to run the lab's browser tests`;
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export interface LabBrowser {
  readonly site: SiteServer;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Serves the built site and launches Chromium with a fresh profile. */
export async function openLab(): Promise<LabBrowser> {
  const site = await serveSite({ host: '127.0.0.1', port: 0 });
  const profile = await mkdtemp(join(tmpdir(), 'bss2-lab-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    return {
      site,
      context,
      close: async () => {
        await context.close();
        await site.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await site.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

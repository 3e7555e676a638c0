// Launches Debian's Chromium headless with the flags these machines need and a fresh profile.
import { mkdirSync, mkdtempSync } from "node:fs";
import { after, before } from "node:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export function launch(options = {}) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "lianqiao-chromium-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1280, height: 800 },
    ...options,
  });
}

/** The server under test. */
export const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";

/** Where browser tests save their screenshots. */
export const screenshots = new URL("../screenshots/", import.meta.url).pathname;

/**
 * Opens one browser for a test file (closed after its tests) and returns a function giving
 * its context.
 */
export function useBrowser(options = {}) {
  let context;
  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    context = await launch(options);
  });
  after(async () => {
    await context?.close();
  });
  return () => context;
}

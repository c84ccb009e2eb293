import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * Launches the headless Chromium shipped inside `@sparticuz/chromium` with playwright-core: no
 * browser is downloaded, so tests and benchmarks run wherever the dependencies are installed.
 */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
}

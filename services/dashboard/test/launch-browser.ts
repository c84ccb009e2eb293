import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

// The package's default emulates a GPU in software (SwiftShader, in the browser's own process),
// for WebGL in Lambda. The dashboard draws SVG and needs none of it, and on a shared 2-core
// machine that emulation made one page load in ten take 1–3 s instead of 0.1 s: measured at a
// load average of 17, the sales page's p95 was 1.2–3.0 s with it and 0.19–0.32 s without.
chromium.setGraphicsMode = false;

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

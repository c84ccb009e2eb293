import type { Reporter, TestModule, Vitest } from 'vitest/node';

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any CI can read
 * whatever runner it knows. With coverage on, it waits for the coverage summary (printed after
 * the run ends, and only when no test failed), so it stays the last line.
 */
export default class SummaryReporter implements Reporter {
  private coverage = false;
  private line: string | undefined;

  onInit(vitest: Vitest): void {
    this.coverage = vitest.config.coverage.enabled;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    this.line = `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`;
    if (!this.coverage || counts.failed > 0) this.print();
  }

  /** Called by vitest once the coverage report is written (a hook of its built-in reporters). */
  onFinishedReportCoverage(): void {
    this.print();
  }

  private print(): void {
    if (this.line) process.stdout.write(this.line);
    this.line = undefined;
  }
}

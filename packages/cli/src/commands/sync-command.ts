import { localStackSettings } from '@totes/local';
import { redactUrl } from '@totes/runtime';
import type { Command } from 'commander';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput } from '../output';
import { deadLetters } from '../stack/dead-letters';
import { loadProgressTracker, progressLine } from '../stack/load-progress';
import { progressBars } from '../stack/progress-bars';
import { startPipeline } from '../stack/running-pipeline';
import { stackConnectionOf } from '../stack/stack-connection';
import { stackStatus } from '../stack/stack-status';
import { statusTable } from '../stack/status-table';

/** `totes sync`: one pass of the whole pipeline, then a summary. */
export function syncCommand(program: Command): void {
  stackOptions(
    program
      .command('sync')
      .description(
        'extract everything new (a sweep for silent edits included), run until every queue is empty, and summarise; exits 1 if anything was dead-lettered',
      )
      .addHelpText(
        'after',
        `
Examples:
  $ totes sync                                  # the stack in .totes, created on first use
  $ totes sync --data-dir /srv/totes --json
  $ totes sync --totesys-url postgresql://reader@db/totesys --warehouse-url postgresql://loader@dw/warehouse`,
      ),
  ).action(async (options: StackOptions) => {
    const output = createOutput(options.json === true);
    const dataDir = dataDirOf(options.dataDir);
    const started = performance.now();
    const pipeline = await startPipeline({
      dataDir,
      ...databaseUrls(options),
      schedule: false,
      command: 'sync',
      onRecovered: (line) => output.warn(line),
    });
    try {
      output.say(`totesys    ${redactUrl(pipeline.stack.totesysUrl)}`);
      output.say(`warehouse  ${redactUrl(pipeline.stack.warehouseUrl)}`);
      output.say(`logs       ${pipeline.log.path}`);
      // Rows stamped within the commit margin before the command ran may still be uncommitted:
      // let the margin pass, counted from the process's start, which start-up mostly covers.
      const margin = localStackSettings.commitMarginMs - performance.now();
      if (margin > 0) await new Promise((resolve) => setTimeout(resolve, margin));
      await pipeline.requestExtraction(['incremental', 'sweep']);
      // Per-table bars on a terminal, a line every few seconds otherwise (stderr either way).
      const tracker = loadProgressTracker();
      const bars = process.stderr.isTTY ? progressBars() : undefined;
      // The first sample after two seconds: a sync with little to do ends before it, and each
      // sample asks every queue and DLQ for its depth and counts every table's rows.
      let lastSample = Date.now();
      let sampling = false;
      const onTick = () => {
        if (sampling || Date.now() - lastSample < 2000) return;
        lastSample = Date.now();
        sampling = true;
        stackStatus(pipeline.stack)
          .then((lines) => {
            const progress = tracker.sample(lines);
            if (bars) bars.update(progress);
            else output.progress(progressLine(progress));
          })
          .catch(() => undefined)
          .finally(() => {
            sampling = false;
          });
      };
      const summary = () =>
        Promise.all([
          stackStatus(pipeline.stack),
          deadLetters(stackConnectionOf(pipeline.stack, pipeline.log.path)),
        ]);
      let summarised: Awaited<ReturnType<typeof summary>>;
      try {
        await pipeline.settled({ onTick });
        // At rest, every stored object must have reached its consumer: what an earlier crash or a
        // lost event left behind is queued again, and the sync runs until that is done too. The
        // summary is read meanwhile, and again only when something was queued.
        const [requeued, first] = await Promise.all([pipeline.reconcile(0), summary()]);
        summarised = first;
        if (requeued > 0) {
          await pipeline.settled({ onTick });
          summarised = await summary();
        }
      } finally {
        bars?.stop();
      }
      const [status, { letters: dead, queues: deadLetterQueues }] = summarised;
      const counted = deadLetterQueues.reduce((sum, queue) => sum + queue.messages, 0);
      const seconds = (performance.now() - started) / 1000;
      output.say(statusTable(status));
      if (dead.length > 0 || counted > 0) {
        const listed = counted > dead.length ? ` (${dead.length} listed)` : '';
        output.say(`\n${Math.max(counted, dead.length)} message(s) dead-lettered${listed}:`);
        for (const letter of dead) output.say(`  ${letter.queue}: ${letter.subject}`);
      }
      output.say(`\nsynced in ${seconds.toFixed(1)} s`);
      output.result({ seconds, tables: status, deadLetters: dead, deadLetterQueues });
      if (dead.length > 0 || counted > 0) process.exitCode = 1;
    } finally {
      await pipeline.stop();
    }
  });
}

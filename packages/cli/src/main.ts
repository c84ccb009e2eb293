import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { dlqCommand } from './commands/dlq-command';
import { logsCommand } from './commands/logs-command';
import { quarantineCommand } from './commands/quarantine-command';
import { reprocessCommand } from './commands/reprocess-command';
import { seedCommand } from './commands/seed-command';
import { statusCommand } from './commands/status-command';
import { syncCommand } from './commands/sync-command';
import { upCommand } from './commands/up-command';
import { verifyCommand } from './commands/verify-command';
import { watchLifeline } from './watch-lifeline';

// A reader that went away (`totes up | tee log`, stopped by the same Ctrl-C) must not crash a
// command mid-shutdown and leave its PostgreSQL behind: what it still has to say is dropped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
watchLifeline();

const program = new Command('totes')
  .description('The Terrific Totes pipeline: totesys → S3 → star-schema warehouse')
  .showHelpAfterError()
  .exitOverride();

upCommand(program);
syncCommand(program);
statusCommand(program);
dlqCommand(program);
quarantineCommand(program);
reprocessCommand(program);
seedCommand(program);
verifyCommand(program);
logsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    const message = (error instanceof Error && error.message) || String(error);
    process.stderr.write(`totes: ${message}\n`);
    if (error instanceof Error && error.cause) process.stderr.write(`  caused by: ${String(error.cause)}\n`);
    // With --json, the failure is a JSON document too, so scripts can read it.
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, UsageError } from './cli-error';
import { completionCommand } from './commands/completion-command';
import { dashboardCommand } from './commands/dashboard-command';
import { dlqCommand } from './commands/dlq-command';
import { doctorCommand } from './commands/doctor-command';
import { logsCommand } from './commands/logs-command';
import { quarantineCommand } from './commands/quarantine-command';
import { reprocessCommand } from './commands/reprocess-command';
import { seedCommand } from './commands/seed-command';
import { stateCommand } from './commands/state-command';
import { statusCommand } from './commands/status-command';
import { syncCommand } from './commands/sync-command';
import { upCommand } from './commands/up-command';
import { urlCommand } from './commands/url-command';
import { verifyCommand } from './commands/verify-command';
import { failureMessage } from './failure-message';
import { configuredLocalPorts } from './local-ports';
import { watchLifeline } from './watch-lifeline';

// A reader that went away (`totes up | tee log`, stopped by the same Ctrl-C) must not crash a
// command mid-shutdown and leave its PostgreSQL behind: what it still has to say is dropped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
watchLifeline();

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// With --json, a failure is one JSON document on stdout, usage errors included; stderr gets one
// line, not the help text, which would bury it.
const json = process.argv.includes('--json');

const program = new Command('totes')
  .description('The Terrific Totes pipeline: totesys → S3 → star-schema warehouse')
  .version(version, '-V, --version', 'print the version of totes')
  .showHelpAfterError(!json)
  .configureOutput(json ? { outputError: () => undefined } : {})
  .addHelpText(
    'after',
    `
Exit codes: 0 success, 1 the work failed (or found a difference), 2 a usage error.

Examples:
  $ totes up                       # the whole pipeline on this machine, until Ctrl-C
  $ totes sync --json              # one pass, then the summary as JSON
  $ totes <command> --help         # a command's options and examples`,
  )
  .exitOverride()
  // Options after a command are that command's (`state reset … --data-dir` is reset's, not state's).
  .enablePositionalOptions()
  // A port variable that is not a port is a usage error, reported before any stack is looked for.
  .hook('preAction', () => {
    configuredLocalPorts();
  });

upCommand(program);
syncCommand(program);
statusCommand(program);
dlqCommand(program);
quarantineCommand(program);
reprocessCommand(program);
seedCommand(program);
verifyCommand(program);
logsCommand(program);
urlCommand(program);
doctorCommand(program);
stateCommand(program);
completionCommand(program);
dashboardCommand(program);

/** The command that is running, to name it in a failure that names nothing. */
const command = program.commands.find((c) => process.argv.slice(2).includes(c.name()))?.name() ?? 'totes';

/** Reports a failure on stderr, and with --json as one JSON document on stdout too. */
function report(message: string, usage: boolean, details: Readonly<Record<string, unknown>> = {}): void {
  process.stderr.write(`totes: ${message}\n`);
  if (json)
    process.stdout.write(`${JSON.stringify({ error: message, ...(usage ? { usage } : {}), ...details })}\n`);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed help, the version or (without --json) the error with the help.
    if (error.exitCode === 0) process.exitCode = 0;
    else {
      process.exitCode = 2;
      const message = error.message.replace(/^error: /, '');
      if (json) report(message, true, { code: error.code });
    }
  } else if (error instanceof UsageError) {
    report(error.message, true, error.details);
    if (!json) process.stderr.write(`(see totes ${command === 'totes' ? '' : `${command} `}--help)\n`);
    process.exitCode = 2;
  } else {
    report(failureMessage(error, command), error instanceof CliError && error.exitCode === 2);
    if (error instanceof Error && error.cause) {
      process.stderr.write(`  caused by: ${failureMessage(error.cause, command)}\n`);
    }
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}

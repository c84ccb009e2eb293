import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, UsageError } from './cli-error';
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

type Define = (program: Command) => void;
/** Each command's module, in the order help lists them. */
const commandModules: Readonly<Record<string, () => Promise<Define>>> = {
  up: async () => (await import('./commands/up-command')).upCommand,
  sync: async () => (await import('./commands/sync-command')).syncCommand,
  status: async () => (await import('./commands/status-command')).statusCommand,
  dlq: async () => (await import('./commands/dlq-command')).dlqCommand,
  quarantine: async () => (await import('./commands/quarantine-command')).quarantineCommand,
  reprocess: async () => (await import('./commands/reprocess-command')).reprocessCommand,
  seed: async () => (await import('./commands/seed-command')).seedCommand,
  verify: async () => (await import('./commands/verify-command')).verifyCommand,
  logs: async () => (await import('./commands/logs-command')).logsCommand,
  url: async () => (await import('./commands/url-command')).urlCommand,
  doctor: async () => (await import('./commands/doctor-command')).doctorCommand,
  state: async () => (await import('./commands/state-command')).stateCommand,
  completion: async () => (await import('./commands/completion-command')).completionCommand,
  dashboard: async () => (await import('./commands/dashboard-command')).dashboardCommand,
};
// A command named on the command line is the only one loaded: the others' modules (the
// dashboard's, AWS's clients) cost every `totes sync` about a third of its start-up CPU. Help,
// completion and a mistyped name need them all.
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const wanted =
  named && named !== 'completion' && named in commandModules ? [named] : Object.keys(commandModules);
for (const define of await Promise.all(wanted.map((name) => commandModules[name]?.()))) define?.(program);

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

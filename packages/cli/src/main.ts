import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error';
import { seedCommand } from './commands/seed-command';
import { upCommand } from './commands/up-command';

const program = new Command('totes')
  .description('The Terrific Totes pipeline: totesys → S3 → star-schema warehouse')
  .showHelpAfterError()
  .exitOverride();

upCommand(program);
seedCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    process.stderr.write(`totes: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`totes: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && error.cause) process.stderr.write(`  caused by: ${String(error.cause)}\n`);
    process.exitCode = 1;
  }
}

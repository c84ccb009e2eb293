import type { Command } from 'commander';
import { createOutput } from '../output';

/** `totes up`: the whole pipeline on this machine. */
export function upCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole pipeline on this machine (embedded PostgreSQL and AWS emulator)')
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }) => {
      const output = createOutput(options.json === true);
      output.say(
        'The local stack (extract → transform → load, on an embedded PostgreSQL and AWS emulator) is',
      );
      output.say('not part of this version yet. What works today:');
      output.say(
        '  npm run totes -- seed --scale 1     load a synthetic totesys into .totes/ (or TOTESYS_URL)',
      );
      output.say('  npm test                            lint, typecheck and every test');
      output.result({ status: 'unavailable', reason: 'the local stack is not part of this version yet' });
    });
}

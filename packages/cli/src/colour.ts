import { styleText } from 'node:util';

/** The colours the CLI uses, each for one meaning. */
export type Colour = 'red' | 'yellow' | 'green' | 'dim';

/**
 * Text in a colour, for `stream` (stdout by default).
 *
 * Plain when that stream is not a terminal, with `NO_COLOR` set, or with `TERM=dumb`, as Node's
 * `styleText` decides (`FORCE_COLOR` forces it).
 */
export function paint(colour: Colour, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return styleText(colour, text, { stream });
}

import { stripVTControlCharacters } from 'node:util';

/** Where a redraw writes, and how wide the terminal is now. */
export interface RedrawTarget {
  write(text: string): void;
  /** The terminal's width when known (`process.stdout.columns`); 80 otherwise. */
  readonly columns?: number | undefined;
}

/**
 * Redraws a block of text in place on a terminal.
 *
 * Each call moves the cursor up over the block it wrote last, clears to the end of the screen, and
 * writes the new one. Every line is cut to the terminal's width, because a line that wraps takes
 * two rows and the next redraw would then leave a partial copy behind and push the header off the
 * top.
 *
 * Written here rather than taken from `log-update`: the whole is two escape sequences. Widths
 * are measured without colour codes; a line cut short loses its colours.
 */
export function screenRedraw(target: RedrawTarget): (text: string) => void {
  let rows = 0;
  return (text) => {
    const width = target.columns && target.columns > 0 ? target.columns : 80;
    const lines = text.split('\n').map((line) => {
      const plain = stripVTControlCharacters(line);
      return plain.length > width ? `${plain.slice(0, width - 1)}…` : line;
    });
    target.write(`${rows > 0 ? `\x1b[${rows}A\r\x1b[0J` : ''}${lines.join('\n')}\n`);
    rows = lines.length;
  };
}

/**
 * Where a command writes.
 *
 * People get readable text on stdout and progress on stderr; with `--json`, stdout carries exactly
 * one JSON document and progress stays on stderr.
 */
export interface Output {
  readonly json: boolean;
  /** A line for people (suppressed with `--json`). */
  say(line: string): void;
  /** Progress that replaces itself on a terminal and is printed now and then otherwise. */
  progress(line: string): void;
  /** Something the user should know that does not stop the command: always on stderr. */
  warn(line: string): void;
  /** The command's result: JSON with `--json`, otherwise nothing (the command has said it). */
  result(value: unknown): void;
}

/** Creates the output of one command run. */
export function createOutput(json: boolean): Output {
  const tty = process.stderr.isTTY === true;
  let lastProgress = 0;
  let pending = false;
  const clear = () => {
    if (tty && pending) process.stderr.write('\r\x1b[2K');
    pending = false;
  };
  return {
    json,
    say(line) {
      clear();
      if (!json) process.stdout.write(`${line}\n`);
    },
    progress(line) {
      const now = Date.now();
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        pending = true;
      } else if (now - lastProgress >= 2000) {
        process.stderr.write(`${line}\n`);
        lastProgress = now;
      }
    },
    warn(line) {
      clear();
      process.stderr.write(`warning: ${line}\n`);
    },
    result(value) {
      clear();
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}

/**
 * Formats rows as an aligned text table (numbers right-aligned).
 *
 * `style` may colour a body cell once it is padded (row and column index, padded text), so colour
 * never upsets the alignment.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  style?: (row: number, column: number, text: string) => string,
): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en-GB') : cell))),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => String(row[column] ?? '').length)),
  );
  return cells
    .map((row, index) =>
      row
        .map((cell, column) => {
          const width = widths[column] ?? 0;
          const numeric = index > 0 && typeof rows[index - 1]?.[column] === 'number';
          const text = numeric ? String(cell).padStart(width) : String(cell).padEnd(width);
          return style && index > 0 ? style(index - 1, column, text) : text;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

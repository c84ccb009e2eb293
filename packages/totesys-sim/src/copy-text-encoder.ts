const needsEscape = /[\\\t\n\r]/;
const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function encodeValue(value: unknown, column: string): string {
  switch (typeof value) {
    case 'string':
      return needsEscape.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c] ?? c) : value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value === null) return '\\N';
      throw new TypeError(`column ${column} has no value a COPY row can carry: ${String(value)}`);
  }
}

/**
 * Builds a function that turns a row into one line of PostgreSQL's COPY text format.
 *
 * The given columns in order, tab-separated, `\N` for NULL, backslash escapes, newline-terminated.
 */
export function copyTextEncoder(
  columns: readonly string[],
): (row: Readonly<Record<string, unknown>>) => string {
  return (row) => {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as string;
      line += i === 0 ? encodeValue(row[column], column) : `\t${encodeValue(row[column], column)}`;
    }
    return `${line}\n`;
  };
}

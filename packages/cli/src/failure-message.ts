/** A thrown value that is no Error, as text: objects as JSON where they can be. */
function printed(value: unknown): string {
  if (typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * What an error says.
 *
 * Its message, or, when it has none (a bare `AggregateError` from a refused connection, a library
 * rejecting with `undefined`), its name or kind and what it wraps.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message.trim()) return error.message;
  const inner =
    error instanceof AggregateError
      ? error.errors
          .map((e: unknown) => (e instanceof Error ? e.message || e.name : String(e)))
          .filter(Boolean)
      : [];
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const kind =
    error instanceof Error
      ? error.name || error.constructor.name || 'Error'
      : error === null || error === undefined
        ? String(error)
        : `${/^[aeiou]/.test(typeof error) ? 'an' : 'a'} ${typeof error} (${printed(error).slice(0, 100)})`;
  const details = [typeof code === 'string' ? code : '', ...inner].filter(Boolean).join('; ');
  return `${kind}, which carries no message${details ? ` (${details})` : ''}`;
}

/** The message a command's failure is reported with: one that never names nothing (see {@link describeError}). */
export function failureMessage(error: unknown, command: string): string {
  if (error instanceof Error && error.message.trim()) return error.message;
  return `\`totes ${command}\` failed: ${describeError(error)}`;
}

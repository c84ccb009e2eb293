/**
 * One line about an error, for a warning or a wrapped message.
 *
 * Its name and the first line of its message (cut to 200 characters), and the HTTP status an AWS
 * SDK error carries. SDK errors name the operation and resource, never credentials.
 */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0] ?? '';
  const firstLine = (error.message.split('\n')[0] ?? '').trim();
  const message = firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const text = message && message !== error.name ? `${error.name}: ${message}` : error.name;
  return status ? `${text} (HTTP ${status})` : text;
}

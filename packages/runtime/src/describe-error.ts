/** An error as a log field: its name, message and cause (as text), or the thrown value as text. */
export function describeError(error: unknown): { name?: string; message: string; cause?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error.cause === undefined ? {} : { cause: String(error.cause) }),
  };
}

import { InvalidArgumentError } from 'commander';

/** Parses a positive integer option, with a message that names the expected form. */
export function integerOption(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}

import type { ValueKind } from '../statements/table-layout';
import type { CopyBinaryWriter } from './copy-binary-writer';
import { twosComplement } from './decimal-text';
import { type NumericBinary, numericBinary } from './numeric-binary';

/** Writes one value decoded from Parquet as a binary COPY field. */
export type BinaryField = (writer: CopyBinaryWriter, value: unknown) => void;

// PostgreSQL counts days from 2000-01-01, Parquet from 1970-01-01.
const postgresEpochDays = 10_957;

function unscaledOf(value: unknown): bigint {
  if (value instanceof Uint8Array) return twosComplement(value);
  return BigInt(value as number | bigint);
}

/**
 * The {@link BinaryField} of a column, by the kind of its Parquet values.
 *
 * INT32 integers, DECIMAL unscaled integers at `scale` (written as an exact `numeric`), DATE days
 * since the epoch, TIME(MILLIS) milliseconds of the day (written as microseconds), UTF-8 strings
 * (as the bytes or a string) and booleans. `null` and `undefined` are NULL.
 */
export function binaryField(kind: ValueKind, scale = 0): BinaryField {
  const field = ((): BinaryField => {
    switch (kind) {
      case 'integer':
        return (writer, value) => writer.int32(Number(value));
      case 'decimal': {
        // Prices repeat: most values are met again, so their digits are worked out once.
        const known = new Map<bigint, NumericBinary>();
        return (writer, value) => {
          const unscaled = unscaledOf(value);
          let numeric = known.get(unscaled);
          if (!numeric) {
            numeric = numericBinary(unscaled, scale);
            if (known.size < 50_000) known.set(unscaled, numeric);
          }
          writer.numeric(numeric.weight, numeric.sign, numeric.dscale, numeric.digits);
        };
      }
      case 'date':
        return (writer, value) => writer.int32(Number(value) - postgresEpochDays);
      case 'time':
        return (writer, value) => writer.int64(Number(value) * 1000);
      case 'string':
        return (writer, value) =>
          value instanceof Uint8Array ? writer.bytes(value) : writer.text(String(value));
      case 'boolean':
        return (writer, value) => writer.boolean(Boolean(value));
    }
  })();
  return (writer, value) => {
    if (value === null || value === undefined) writer.null();
    else field(writer, value);
  };
}

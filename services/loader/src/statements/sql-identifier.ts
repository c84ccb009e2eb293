const declaredName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Quotes an identifier taken from the declarations (a schema, table or column name) for SQL text.
 *
 * Values always travel as bound parameters; identifiers cannot, so this refuses anything but a
 * plain lowercase name rather than trying to escape it.
 */
export function sqlIdentifier(name: string): string {
  if (!declaredName.test(name)) throw new RangeError(`"${name}" is not a declared SQL identifier`);
  return `"${name}"`;
}

/** `"schema"."name"`, both parts checked by {@link sqlIdentifier}. */
export function qualifiedName(schema: string, name: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(name)}`;
}

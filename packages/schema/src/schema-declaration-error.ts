/** A table schema that cannot be mapped to PostgreSQL, for example a column declared without a type. */
export class SchemaDeclarationError extends Error {
  override readonly name = 'SchemaDeclarationError';
}

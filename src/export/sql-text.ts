// DuckDB identifiers and string literals built from names vmtel does not control (a guest's
// keys, a run dir's path, a label's value): every one goes through these two, so no name can
// end a quote and add SQL of its own.

/** `name` as a quoted identifier: "a.b", with any " doubled. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `text` as a string literal: 'it''s', with any ' doubled. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A list of string literals: ['a', 'b']. */
export function sqlStringList(texts: readonly string[]): string {
  return `[${texts.map(sqlString).join(', ')}]`;
}

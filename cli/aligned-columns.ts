/** Rows as plain text, each column but the last as wide as its widest cell, two spaces apart, no trailing spaces. */
export function alignedColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n').concat('\n');
}

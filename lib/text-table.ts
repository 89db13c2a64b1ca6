// Plain-text tables for the terminal: columns padded to their widest cell, numbers aligned right.

export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numericColumns: ReadonlySet<number> = new Set(),
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => [...(row[i] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    '  ' +
    cells
      .map((c, i) => (numericColumns.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

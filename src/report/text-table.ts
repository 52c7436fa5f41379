/** Small helpers for aligned plain-text tables. */

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** The column that gives way when the table is wider than the terminal. */
  flexible?: boolean;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
}

export const plainStyle: Style = { bold: (t) => t, dim: (t) => t };
export const ansiStyle: Style = {
  bold: (t) => `\u001b[1m${t}\u001b[22m`,
  dim: (t) => `\u001b[2m${t}\u001b[22m`,
};

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 3 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`;
}

/** Rows of cells into aligned lines; the flexible column is cut so that lines fit `width`. */
export function formatTable(columns: readonly Column[], rows: readonly string[][], width: number, style: Style): string[] {
  const gap = 2;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const flex = columns.findIndex((c) => c.flexible);
  if (flex >= 0) {
    const fixed = widths.reduce((sum, w, i) => (i === flex ? sum : sum + w), 0) + gap * (columns.length - 1);
    widths[flex] = Math.max(Math.min(widths[flex]!, width - fixed), 10);
  }
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => {
        const w = widths[i]!;
        const cell = truncate(cells[i] ?? '', w);
        if (i === columns.length - 1 && c.align !== 'right') return cell;
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [style.bold(line(columns.map((c) => c.header))), ...rows.map(line)];
}

/** Decimal units, as `docker images` prints them. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
}

/** Docker history's created_by without the shell prefix, "#(nop)" marker or BuildKit comment. */
export function cleanCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/\s+/g, ' ')
    .replace(/^\/bin\/(?:ba)?sh -c #\(nop\)\s*/, '')
    .replace(/^#\(nop\)\s*/, '')
    .replace(/ # buildkit$/, '')
    .trim();
}

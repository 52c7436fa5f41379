/** Small helpers for aligned plain-text tables. */

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** A column that gives way when the table is wider than the terminal; the last flexible column gives first. */
  flexible?: boolean;
  /** Narrowest a flexible column gets (default 10). */
  minWidth?: number;
  /** Styles a cell after it is cut and measured, so escape codes never count towards the width. */
  paint?: (cell: string, row: number) => string;
}

export type Colour = 'red' | 'yellow' | 'blue';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  colour(colour: Colour, text: string): string;
}

const ANSI_COLOURS: Record<Colour, number> = { red: 31, yellow: 33, blue: 34 };

export const plainStyle: Style = { bold: (t) => t, dim: (t) => t, colour: (_c, t) => t };
export const ansiStyle: Style = {
  bold: (t) => `\u001b[1m${t}\u001b[22m`,
  dim: (t) => `\u001b[2m${t}\u001b[22m`,
  colour: (c, t) => `\u001b[${ANSI_COLOURS[c]}m${t}\u001b[39m`,
};

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 3 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`;
}

/**
 * Rows of cells into aligned lines. When they are wider than `width`, the flexible columns are cut,
 * always the widest one first, so that they end up evenly wide; none below its minWidth.
 */
export function formatTable(columns: readonly Column[], rows: readonly string[][], width: number, style: Style): string[] {
  const gap = 2;
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  let excess = widths.reduce((sum, w) => sum + w, 0) + gap * (columns.length - 1) - width;
  while (excess > 0) {
    let widest = -1;
    for (const [i, c] of columns.entries()) {
      if (c.flexible && widths[i]! > (c.minWidth ?? 10) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  const line = (cells: readonly string[], row?: number): string =>
    columns
      .map((c, i) => {
        const w = widths[i]!;
        const cell = truncate(cells[i] ?? '', w);
        const shown = row !== undefined && c.paint && cell !== '' ? c.paint(cell, row) : cell;
        const padding = ' '.repeat(w - cell.length);
        if (i === columns.length - 1 && c.align !== 'right') return shown;
        return c.align === 'right' ? padding + shown : shown + padding;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [style.bold(line(columns.map((c) => c.header))), ...rows.map((r, i) => line(r, i))];
}

export { humanSize } from '../core/human-size.js';

/** Docker history's created_by without the shell prefix, "#(nop)" marker or BuildKit comment. */
export function cleanCreatedBy(createdBy: string): string {
  return createdBy
    .replace(/\s+/g, ' ')
    .replace(/^\/bin\/(?:ba)?sh -c #\(nop\)\s*/, '')
    .replace(/^#\(nop\)\s*/, '')
    .replace(/ # buildkit$/, '')
    .trim();
}

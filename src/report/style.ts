/** Text styling for terminal reports: ANSI colours, or none (files, pipes, NO_COLOR). */

/**
 * How the text report styles text: bold, dim and four colours ({@link ansi} or {@link plain}).
 *
 * @example
 * ```ts
 * const loud: Style = { ...plain, red: (s) => s.toUpperCase() };
 * ```
 *
 * @category Reports
 */
export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const id = (s: string) => s;

/**
 * No styling (files, pipes, NO_COLOR).
 *
 * @example
 * ```ts
 * renderText(timeline, { style: plain });
 * ```
 *
 * @category Reports
 */
export const plain: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

const sgr = (open: number, close: number) => (s: string) => (s ? `\u001b[${open}m${s}\u001b[${close}m` : s);

/**
 * ANSI terminal colours.
 *
 * @example
 * ```ts
 * renderText(timeline, { style: process.stdout.isTTY ? ansi : plain });
 * ```
 *
 * @category Reports
 */
export const ansi: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

/** Remove ANSI escapes (for width computations and tests). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

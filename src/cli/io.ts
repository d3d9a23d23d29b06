/** Where the CLI writes and what it knows of its terminal: injected so tests run `main` in-process. */
import { type Style, ansi, plain } from '../report/style.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (--out, --scenario FILE, trace files) resolve against this. */
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colours only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function colorsOn(io: CliIo, tty: boolean): boolean {
  const noColor = io.env.NO_COLOR;
  return tty && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}

export function stdoutStyle(io: CliIo): Style {
  return colorsOn(io, io.stdoutIsTTY) ? ansi : plain;
}

export function stderrStyle(io: CliIo): Style {
  return colorsOn(io, io.stderrIsTTY) ? ansi : plain;
}

/** Where the CLI writes and what it knows of its terminal: injected so tests run `main` in-process. */
import { type Style, ansi, plain } from '../report/style.ts';
import { EXIT_INTERRUPTED } from './exit-codes.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (--out, --scenario FILE, trace files) resolve against this. */
  readonly cwd: string;
  /**
   * Listen for Ctrl-C (SIGINT); returns the unsubscribe function. Absent: nothing can
   * interrupt a command (in-process tests), and searches run in this thread.
   */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (handler) => {
      // The listener stays after unsubscribing: a terminal's Ctrl-C reaches bin/kuberace.mjs
      // too, which forwards it again, and that second SIGINT must not kill the summary being
      // printed. After a search that was not interrupted, Ctrl-C exits at once with 130.
      let state: 'listening' | 'interrupted' | 'done' = 'listening';
      process.on('SIGINT', () => {
        if (state === 'listening') {
          state = 'interrupted';
          handler();
        } else if (state === 'done') {
          process.exit(EXIT_INTERRUPTED);
        }
      });
      return () => {
        if (state === 'listening') state = 'done';
      };
    },
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

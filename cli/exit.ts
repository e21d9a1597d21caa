import { formatDiagnostic, printable } from '../loader/diagnostic';
import { loadFleets, type LoadedFleets } from '../loader/load-fleets';

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Thrown by a command to stop with an exit code; what to say was already printed. */
export class Exit extends Error {
  constructor(public readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Writes one line to stderr, with whatever in it could end the line or rewrite the terminal escaped (see `printable`). */
export function complain(line: string): void {
  process.stderr.write(`${printable(line)}\n`);
}

/** Writes one line to stdout, escaped like `complain`'s. */
export function report(line: string): void {
  process.stdout.write(`${printable(line)}\n`);
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** Loads and validates; prints every diagnostic, and on any error stops with exit 1. */
export function loadOrExit(paths: string[], consequence: string): LoadedFleets {
  const loaded = loadFleets(paths);
  for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (loaded.failed) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const files = new Set(errors.map((d) => d.file)).size;
    complain(`amifleet: ${plural(errors.length, 'error')} in ${plural(files, 'file')}; ${consequence}`);
    throw new Exit(EXIT.invalid);
  }
  return loaded;
}

#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatDiagnostic } from '../loader/diagnostic';
import { loadFleets, type LoadedFleets } from '../loader/load-fleets';

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

class Exit extends Error {
  constructor(public readonly code: number) {
    super(`exit ${code}`);
  }
}

function reportDiagnostics(loaded: LoadedFleets): void {
  for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

/** Loads and validates; on any error prints every diagnostic and stops with exit 1. */
function loadOrExit(paths: string[], action: string): LoadedFleets {
  const loaded = loadFleets(paths);
  reportDiagnostics(loaded);
  if (loaded.failed) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    const files = new Set(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)).size;
    process.stderr.write(`amifleet: ${errors} error${errors === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ${action}\n`);
    throw new Exit(EXIT.invalid);
  }
  return loaded;
}

/** The version in amifleet's package.json, found from the source or the built file. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('amifleet')
    .description('Copy one golden image to every region of a fleet, with a launch template per region, as Terraform (cdktf).')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();

  program.command('validate')
    .description('check fleet files; exit 0 when valid, 1 when not')
    .argument('<paths...>', 'fleet files or directories of them')
    .action((paths: string[]) => {
      const loaded = loadOrExit(paths, 'see above');
      process.stdout.write(`${loaded.fleets.length} fleet${loaded.fleets.length === 1 ? '' : 's'} valid\n`);
    });

  program.command('synth')
    .description('synthesize Terraform JSON for fleet files (one stack per region, or one per fleet)')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('-o, --out <dir>', 'output directory', 'cdktf.out')
    .action((paths: string[], options: { out: string }) => {
      const loaded = loadOrExit(paths, 'nothing written');
      // cdktf is loaded only when there is something to synthesize.
      const { synthesizeFleets } = require('./synthesize') as typeof import('./synthesize');
      const summary = synthesizeFleets(loaded.fleets, options.out);
      process.stdout.write(`synthesized ${summary.stacks.length} stack${summary.stacks.length === 1 ? '' : 's'} `
        + `from ${summary.fleets} fleet${summary.fleets === 1 ? '' : 's'} into ${summary.outDir}\n`);
    });

  return program;
}

/** Runs the CLI and returns its exit code; never throws for a user's mistake. */
export function run(argv: readonly string[]): number {
  try {
    buildProgram().parse(argv as string[], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    throw e;
  }
}

if (require.main === module) {
  let code: number;
  try {
    code = run(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`amifleet: internal error: ${(e as Error).stack ?? String(e)}\n`
      + 'This is a bug in amifleet, not in your fleet file; please report it with the fleet file.\n');
    code = 70;
  }
  process.exitCode = code;
}

#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT, Exit } from './exit';
import { packageVersion } from './package-root';
import { registerValidate } from './commands/validate';
import { registerSynth } from './commands/synth';
import { registerModule } from './commands/module';
import { registerNew } from './commands/new';
import { registerDocs } from './commands/docs';
import { registerShow } from './commands/show';
import { registerRelease } from './commands/release';
import { registerPromote } from './commands/promote';
import { registerRollback } from './commands/rollback';

export function buildProgram(): Command {
  const program = new Command('amifleet')
    .description('Copy one golden image to every region of a fleet, with a launch template per region, as Terraform (cdktf).')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  registerValidate(program);
  registerSynth(program);
  registerModule(program);
  registerNew(program);
  registerDocs(program);
  registerShow(program);
  registerRelease(program);
  registerPromote(program);
  registerRollback(program);
  return program;
}

/** Runs the CLI and resolves to its exit code; never rejects for a user's mistake. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[], { from: 'user' });
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
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (e: unknown) => {
    process.stderr.write(`amifleet: internal error: ${(e as Error).stack ?? String(e)}\n`
      + 'This is a bug in amifleet, not in your fleet file; please report it with the fleet file.\n');
    process.exitCode = 70;
  });
}

import type { Command } from 'commander';
import { loadOrExit, plural } from '../exit';

export function registerValidate(program: Command): void {
  program.command('validate')
    .description('check fleet files; exit 0 when valid, 1 when not')
    .argument('<paths...>', 'fleet files or directories of them')
    .action((paths: string[]) => {
      const loaded = loadOrExit(paths, 'see above');
      process.stdout.write(`${plural(loaded.fleets.length, 'fleet')} valid\n`);
    });
}

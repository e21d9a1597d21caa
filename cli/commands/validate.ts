import type { Command } from 'commander';
import { complain, EXIT, Exit, loadOrExit, plural } from '../exit';

export function registerValidate(program: Command): void {
  program.command('validate')
    .description('check fleet files; exit 0 when valid, 1 when not')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('--strict', 'fail (exit 1) on warnings too, unless the fleet suppresses them with a reason')
    .action((paths: string[], options: { strict?: boolean }) => {
      const loaded = loadOrExit(paths, 'see above');
      const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
      if (options.strict && warnings > 0) {
        complain(`amifleet: ${plural(warnings, 'warning')} with --strict; fix them, or suppress each with a reason`);
        throw new Exit(EXIT.invalid);
      }
      process.stdout.write(`${plural(loaded.fleets.length, 'fleet')} valid${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}\n`);
    });
}

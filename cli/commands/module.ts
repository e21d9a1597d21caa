import type { Command } from 'commander';
import { formatDiagnostic } from '../../loader/diagnostic';
import { at } from '../../loader/load-fleet';
import type { FleetFile } from '../../loader/load-fleets';
import { complain, EXIT, report, Exit, loadOrExit } from '../exit';

export function registerModule(program: Command): void {
  program.command('module')
    .description('write a reusable Terraform module from one fleet file: no backend, variables, outputs, README')
    .argument('<file>', 'a fleet file')
    .requiredOption('-o, --out <dir>', 'module directory (replaced as a whole)')
    .action((file: string, options: { out: string }) => {
      const loaded = loadOrExit([file], 'nothing written');
      if (loaded.fleets.length !== 1) {
        complain(`amifleet module: ${file} holds ${loaded.fleets.length} fleets; give one fleet file`);
        throw new Exit(EXIT.usage);
      }
      refuseAccounts(loaded.fleets[0]);
      const { writeFleetModule } = require('../fleet-module-writer') as typeof import('../fleet-module-writer');
      const { OutputDirError } = require('../output-dir') as typeof import('../output-dir');
      let files: string[];
      try {
        files = writeFleetModule(loaded.fleets[0], options.out);
      } catch (e) {
        if (!(e instanceof OutputDirError)) throw e;
        complain(`amifleet module: ${e.message}; nothing written`);
        throw new Exit(EXIT.usage);
      }
      report(`wrote module ${loaded.fleets[0].fleet.fleet} into ${options.out}: ${files.join(', ')}`);
    });
}

/**
 * A module is one state under its caller's providers; an account needs a provider that assumes
 * its role, and its copies need the share stack applied first, which one module apply cannot order.
 */
function refuseAccounts({ file, fleet, document }: FleetFile): void {
  if (Object.keys(fleet.accounts).length === 0) return;
  process.stderr.write(`${formatDiagnostic(at(document, file, ['accounts'], true, {
    message: "a module cannot hold accounts: it is one state under its caller's providers, while each account's stacks need a provider "
      + "that assumes the account's role (the caller would pass one per account through configuration_aliases), and the share stack "
      + "must be applied (granting the source image and its key) before any account copies it, an order one module apply cannot keep",
    suggestion: "use amifleet synth: it writes the share stack and a stack per account and region, in waves; or remove accounts for a module of the credentials' own regions",
  }))}\n`);
  complain('amifleet module: 1 error; nothing written');
  throw new Exit(EXIT.invalid);
}

import type { Command } from 'commander';
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

import type { Command } from 'commander';
import { EXIT, Exit, loadOrExit, plural } from '../exit';
import { OutputDirError } from '../output-dir';

export function registerSynth(program: Command): void {
  program.command('synth')
    .description('synthesize Terraform JSON for fleet files (one stack per region, or one per fleet)')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('-o, --out <dir>', 'output directory', 'cdktf.out')
    .action((paths: string[], options: { out: string }) => {
      const loaded = loadOrExit(paths, 'nothing written');
      // cdktf and the provider bindings are loaded only when there is something to synthesize.
      const { synthesizeFleets } = require('../synthesize') as typeof import('../synthesize');
      let summary: ReturnType<typeof synthesizeFleets>;
      try {
        summary = synthesizeFleets(loaded.fleets, options.out);
      } catch (e) {
        if (!(e instanceof OutputDirError)) throw e;
        process.stderr.write(`amifleet: --out ${e.message}; nothing written\n`);
        throw new Exit(EXIT.usage);
      }
      process.stdout.write(`synthesized ${plural(summary.stacks.length, 'stack')} from ${plural(summary.fleets, 'fleet')} into ${summary.outDir}\n`);
    });
}

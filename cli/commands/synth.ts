import type { Command } from 'commander';
import { loadOrExit, plural } from '../exit';

export function registerSynth(program: Command): void {
  program.command('synth')
    .description('synthesize Terraform JSON for fleet files (one stack per region, or one per fleet)')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('-o, --out <dir>', 'output directory', 'cdktf.out')
    .action((paths: string[], options: { out: string }) => {
      const loaded = loadOrExit(paths, 'nothing written');
      // cdktf and the provider bindings are loaded only when there is something to synthesize.
      const { synthesizeFleets } = require('../synthesize') as typeof import('../synthesize');
      const summary = synthesizeFleets(loaded.fleets, options.out);
      process.stdout.write(`synthesized ${plural(summary.stacks.length, 'stack')} from ${plural(summary.fleets, 'fleet')} into ${summary.outDir}\n`);
    });
}

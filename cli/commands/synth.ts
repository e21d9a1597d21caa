import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, Exit, loadOrExit, plural } from '../exit';
import { OutputDirError } from '../output-dir';
import { SynthProgress } from '../synth-progress';
import { startEarly } from '../synth-worker-thread';
import { fleetFiles } from '../../loader/discover';

export function registerSynth(program: Command): void {
  program.command('synth')
    .description('synthesize Terraform JSON for fleet files (one stack per region, or one per fleet)')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('-o, --out <dir>', 'output directory', 'cdktf.out')
    .option('-j, --jobs <n>', 'threads that synthesize (default: one per CPU when there are enough stacks)', wholeNumber)
    .action(async (paths: string[], options: { out: string; jobs?: number }) => {
      const progress = new SynthProgress(process.stderr);
      // A second thread starts loading cdktf while this one loads the fleet files.
      const earlyWorker = startEarly(fleetFiles(paths).length, options.jobs);
      let loaded: ReturnType<typeof loadOrExit>;
      try {
        loaded = loadOrExit(paths, 'nothing written');
      } catch (e) {
        earlyWorker?.dismiss();
        throw e;
      }
      // cdktf and the provider bindings are loaded only when there is something to synthesize.
      const { synthesizeInParallel } = require('../parallel-synth') as typeof import('../parallel-synth');
      let summary: Awaited<ReturnType<typeof synthesizeInParallel>>;
      try {
        summary = await synthesizeInParallel(loaded.fleets, options.out, {
          threads: options.jobs, earlyWorker, onProgress: (done) => progress.update(done, loaded.fleets.length),
        }).finally(() => progress.finish());
      } catch (e) {
        if (!(e instanceof OutputDirError)) throw e;
        process.stderr.write(`amifleet: --out ${e.message}; nothing written\n`);
        throw new Exit(EXIT.usage);
      }
      process.stdout.write(`synthesized ${plural(summary.stacks.length, 'stack')} from ${plural(summary.fleets, 'fleet')} into ${summary.outDir}`
        + ` in ${progress.elapsedSeconds().toFixed(1)} s\n`);
    });
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, 1 or more.');
  return n;
}

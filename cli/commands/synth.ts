import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { complain, EXIT, report, Exit, loadOrExit, plural } from '../exit';
import { OutputDirError } from '../output-dir';
import { SynthProgress } from '../synthesis/synth-progress';
import { startEarly } from '../synthesis/synth-worker-thread';
import { fleetFiles } from '../../loader/discover';
import { displayPath } from '../../loader/template-files';
import { STACK_FILE, type SynthOutputNotes } from '../synth-output';

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
      const { synthesizeInParallel } = require('../synthesis/parallel-synth') as typeof import('../synthesis/parallel-synth');
      let summary: Awaited<ReturnType<typeof synthesizeInParallel>>;
      try {
        summary = await synthesizeInParallel(loaded.fleets, options.out, {
          paths, threads: options.jobs, earlyWorker, onProgress: (done) => progress.update(done, loaded.fleets.length),
        }).finally(() => progress.finish());
      } catch (e) {
        if (!(e instanceof OutputDirError)) throw e;
        complain(`amifleet: ${e.message}; nothing written`);
        throw new Exit(EXIT.usage);
      }
      report(`synthesized ${plural(summary.stacks.length, 'stack')} from ${plural(summary.fleets, 'fleet')} into ${summary.outDir}`
        + ` in ${progress.elapsedSeconds().toFixed(1)} s`);
      reportOutputNotes(summary.outDir, summary.notes);
    });
}

/** What the synth kept of an earlier output, and what needs the user's hand. */
function reportOutputNotes(outDir: string, notes: SynthOutputNotes): void {
  const { keptFiles, orphaned, removed, legacyStates } = notes;
  if (keptFiles.directories > 0) {
    report(`kept what Terraform wrote in ${plural(keptFiles.directories, 'stack directory', 'stack directories')}: ${keptFiles.names.join(', ')}`);
  }
  for (const name of removed) report(`removed ${join(outDir, 'stacks', name)}: no fleet makes stack ${name} any more`);
  for (const o of orphaned) {
    const dir = join(outDir, 'stacks', o.stack);
    const maker = o.owner?.fleet ? `fleet ${o.owner.fleet}` : 'any fleet of this run';
    complain(`amifleet: warning: stack ${o.stack} is no longer made by ${maker}, but ${dir} holds ${o.kept.join(', ')}: `
      + `kept it, with its ${STACK_FILE}, so that you can destroy what it manages: (cd ${dir} && terraform destroy), then delete ${dir}`);
  }
  for (const l of legacyStates) {
    const dir = join(outDir, 'stacks', l.stack);
    const from = displayPath(l.file);
    const to = displayPath(l.statePath);
    complain(`amifleet: warning: ${from} is the state of stack ${l.stack} where amifleet 0.1 kept it, inside the output directory; `
      + `it was kept, but the stack now keeps its state in ${to}, beside the output directory. `
      + (l.both ? `Both files exist: keep the one with the higher "serial" as ${to}, then (cd ${dir} && terraform init -reconfigure)`
        : `Move it: mv ${from} ${to} && (cd ${dir} && terraform init -reconfigure)`));
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, 1 or more.');
  return n;
}

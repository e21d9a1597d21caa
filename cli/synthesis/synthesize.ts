import { App } from 'cdktf';
import { addFleetStacks } from '../../modules/constructs/fleet-app';
import type { FleetFile } from '../../loader/load-fleets';
import type { FleetToSynthesize } from './fleet-batches';
import { checkOutputTarget, writeOutput } from '../output-dir';
import { planSynthOutput, SYNTH_OUTPUT, type SynthOutputNotes } from '../synth-output';
import { writeManifest } from './batch-synthesis';

export interface SynthSummary {
  readonly fleets: number;
  readonly stacks: string[];
  readonly outDir: string;
  /** What the synth kept or removed of an earlier output. */
  readonly notes: SynthOutputNotes;
}

/** Adds every fleet's stacks to a cdktf app. */
export function addFleets(app: App, fleets: readonly FleetToSynthesize[]): string[] {
  return fleets.flatMap((f) => addFleetStacks(app, f.fleet, { userDataTemplate: f.userDataTemplate }).map((s) => s.node.id));
}

/**
 * Synthesizes valid fleets into `outDir` with one cdktf app, replacing what was there only on
 * success and never their own files: the plain way, which `synthesizeInParallel` matches byte for byte.
 */
export function synthesizeFleets(fleets: readonly FleetFile[], outDir: string): SynthSummary {
  const target = checkOutputTarget(outDir, SYNTH_OUTPUT, fleets.map((f) => f.file));
  const plan = planSynthOutput(target, fleets);
  return writeOutput(target, (temp) => {
    // Fleets are validated before synth; cdktf's own checks would run `terraform version` per cloud-backend stack.
    const app = new App({ outdir: temp, stackTraces: false, skipValidation: true });
    const stacks = addFleets(app, fleets);
    app.synth();
    const { version, stacks: entries } = app.manifest.buildManifest();
    writeManifest(temp, [{ index: 0, cdktfVersion: version, stacks: entries }], plan);
    return { result: { fleets: fleets.length, stacks, outDir, notes: plan.notes }, stale: plan.stale };
  });
}

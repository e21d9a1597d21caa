import { App } from 'cdktf';
import { addFleetStacks } from '../modules/fleet-app';
import type { FleetFile } from '../loader/load-fleets';
import type { FleetToSynthesize } from './fleet-batches';
import { replaceDirectory } from './output-dir';

export interface SynthSummary {
  readonly fleets: number;
  readonly stacks: string[];
  readonly outDir: string;
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
  return replaceDirectory(outDir, (temp) => {
    // Fleets are validated before synth; cdktf's own checks would run `terraform version` per cloud-backend stack.
    const app = new App({ outdir: temp, stackTraces: false, skipValidation: true });
    const stacks = addFleets(app, fleets);
    app.synth();
    return { fleets: fleets.length, stacks, outDir };
  }, fleets.map((f) => f.file));
}

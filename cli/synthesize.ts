import { App } from 'cdktf';
import { addFleetStacks } from '../modules/fleet-app';
import type { FleetFile } from '../loader/load-fleets';
import { replaceDirectory } from './output-dir';
import { withoutTokenStackTraces } from './token-stack-traces';

export interface SynthSummary {
  readonly fleets: number;
  readonly stacks: string[];
  readonly outDir: string;
}

/** Adds every fleet's stacks to a cdktf app. */
export function addFleets(app: App, fleets: readonly FleetFile[]): string[] {
  return fleets.flatMap((f) => addFleetStacks(app, f.fleet).map((s) => s.node.id));
}

/** Synthesizes valid fleets into `outDir`, replacing what was there only on success. */
export function synthesizeFleets(fleets: readonly FleetFile[], outDir: string): SynthSummary {
  return replaceDirectory(outDir, (temp) => withoutTokenStackTraces(() => {
    // Fleets are validated before synth; cdktf's own checks would run `terraform version` per cloud-backend stack.
    const app = new App({ outdir: temp, stackTraces: false, skipValidation: true });
    const stacks = addFleets(app, fleets);
    app.synth();
    return { fleets: fleets.length, stacks, outDir };
  }));
}

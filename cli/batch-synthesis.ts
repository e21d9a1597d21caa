import { App, Manifest, type StackManifest } from 'cdktf';
import type { FleetBatch } from './fleet-batches';
import { addFleets } from './synthesize';
import { withoutTokenStackTraces } from './token-stack-traces';

export interface BatchOutput {
  readonly index: number;
  readonly cdktfVersion: string;
  /** Manifest entries of the batch's stacks, by stack name, in fleet order. */
  readonly stacks: Record<string, StackManifest>;
}

/**
 * Synthesizes one batch with a cdktf app of its own into `outDir`: its stacks under
 * `stacks/`, and a manifest.json of this batch only, which `writeManifest` later replaces.
 */
export function synthesizeBatch(batch: FleetBatch, outDir: string): BatchOutput {
  return withoutTokenStackTraces(() => {
    // Fleets are validated before synth; cdktf's own checks would run `terraform version` per cloud-backend stack.
    const app = new App({ outdir: outDir, stackTraces: false, skipValidation: true });
    const names = addFleets(app, batch.fleets);
    app.synth();
    const manifest = app.manifest.buildManifest();
    return { index: batch.index, cdktfVersion: manifest.version, stacks: Object.fromEntries(names.map((n) => [n, manifest.stacks[n]])) };
  });
}

/** Writes the run's manifest.json over the batches' own, with cdktf's serializer (sorted keys), so it matches a single app's byte for byte. */
export function writeManifest(outDir: string, outputs: readonly BatchOutput[]): void {
  const manifest = new Manifest(outputs[0].cdktfVersion, outDir, false);
  for (const output of outputs) Object.assign(manifest.stacks, output.stacks);
  manifest.writeToFile();
}

/** Claims batches one at a time from a counter shared by every synthesizing thread, until none is left. */
export function* claimBatches(batches: readonly FleetBatch[], claims: Int32Array): Generator<FleetBatch> {
  for (let i = Atomics.add(claims, CLAIM.next, 1); i < batches.length; i = Atomics.add(claims, CLAIM.next, 1)) {
    yield batches[i];
    Atomics.add(claims, CLAIM.fleetsDone, batches[i].fleets.length);
  }
}

/** Slots of the shared counter: the next unclaimed batch, and fleets synthesized so far. */
export const CLAIM = { next: 0, fleetsDone: 1, slots: 2 } as const;

import { App, Manifest, TerraformStack, type IManifest, type StackManifest } from 'cdktf';
import type { SynthOutputPlan, SynthRecord } from '../synth-output';
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
 * Synthesizes one batch with a cdktf app of its own: writes its stacks under `outDir`/stacks
 * and returns their manifest entries; `writeManifest` writes the manifest of the whole run.
 * This is `app.synth()` without two steps fleet stacks do not need: cdktf's validations
 * (fleets are validated before synth; the cloud backend's would spawn `terraform version`
 * per stack) and the preparing pass, which resolves every element once more (a quarter of
 * synth time) only to find references between stacks, which fleet stacks never make.
 */
export function synthesizeBatch(batch: FleetBatch, outDir: string): BatchOutput {
  return withoutTokenStackTraces(() => {
    const app = new App({ outdir: outDir, stackTraces: false, skipValidation: true });
    const names = addFleets(app, batch.fleets);
    const stacks = app.node.children.filter(TerraformStack.isStack);
    for (const stack of stacks) stack.ensureBackendExists();
    for (const stack of stacks) stack.synthesizer.synthesize({ outdir: outDir, skipValidation: true, manifest: app.manifest });
    const manifest = app.manifest.buildManifest();
    return { index: batch.index, cdktfVersion: manifest.version, stacks: Object.fromEntries(names.map((n) => [n, manifest.stacks[n]])) };
  });
}

/** cdktf's manifest with amifleet's section: which fleet file made each stack. */
class FleetManifest extends Manifest {
  constructor(version: string, outDir: string, private readonly record: SynthRecord) {
    super(version, outDir, false);
  }

  public override buildManifest(): IManifest & { amifleet: SynthRecord } {
    return { ...super.buildManifest(), amifleet: this.record };
  }
}

/**
 * Writes the run's manifest.json with cdktf's own serializer (sorted keys), so it matches a
 * single app's byte for byte: this run's stacks, the earlier stacks the plan keeps, and
 * amifleet's section.
 */
export function writeManifest(outDir: string, outputs: readonly BatchOutput[], plan: SynthOutputPlan): void {
  const manifest = new FleetManifest(outputs[0].cdktfVersion, outDir, plan.record);
  Object.assign(manifest.stacks, plan.keptStacks);
  for (const output of outputs) Object.assign(manifest.stacks, output.stacks);
  manifest.writeToFile();
}

/** Claims batches one at a time from a counter shared by every synthesizing thread, until none is left or `max` were claimed. */
export function* claimBatches(batches: readonly FleetBatch[], claims: Int32Array, max: number): Generator<FleetBatch> {
  for (let claimed = 0; claimed < max; claimed++) {
    const i = Atomics.add(claims, CLAIM.next, 1);
    if (i >= batches.length) return;
    yield batches[i];
    Atomics.add(claims, CLAIM.fleetsDone, batches[i].fleets.length);
  }
}

/** Slots of the shared counter: the next unclaimed batch, and fleets synthesized so far. */
export const CLAIM = { next: 0, fleetsDone: 1, slots: 2 } as const;

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { StackManifest } from 'cdktf';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { fleetStackNames, legacyLocalStateFile, localStatePath } from '../modules/fleet/fleet-names';
import { fleetStackWaves } from '../modules/fleet/stack-waves';
import type { OutputKind, OutputTarget } from './output-dir';

// What `amifleet synth` knows of an output directory, from its manifest.json: cdktf's own
// `stacks`, and amifleet's section saying which fleet file made each stack. With it, a synth
// replaces only the files it wrote, for the fleets it was given: what Terraform wrote into a
// stack directory, and the stacks of other fleets, stay as they were.

/** The one file amifleet writes in a stack directory; everything else there is Terraform's (or the user's). */
export const STACK_FILE = 'cdk.tf.json';
const MANIFEST = 'manifest.json';

/**
 * Which fleet (and fleet file, relative to the output directory's parent) made a stack, and
 * which rollout wave it applies in. Manifests of amifleet before rollouts have neither wave.
 */
export interface StackOwner {
  readonly fleet: string;
  readonly file: string;
  /** A per-region stack: its region's wave, from 1. CI applies the stacks of wave 1, then of wave 2, ... */
  readonly wave?: number;
  /**
   * A `layout: single` stack: every wave it holds. It has no `wave`, since one apply moves
   * all of its regions at once; in wave order it goes with the first.
   */
  readonly waves?: number[];
  /** An account stack: the entry of the fleet's `accounts` whose role its provider assumes. */
  readonly account?: string;
  /** `share` for the stack that shares the source image with the accounts (wave 0: before every account stack). */
  readonly role?: 'share';
}

/** amifleet's section of manifest.json. */
export interface SynthRecord {
  readonly command: 'synth';
  /** Stacks of `stacks`, by name: who made each. */
  readonly stacks: Record<string, StackOwner>;
  /**
   * Stacks no fleet makes any more whose directory was kept because it holds Terraform's
   * files or state: destroy what they manage, then delete them. Not in `stacks`, so CI that
   * applies every stack of the manifest leaves them alone.
   */
  readonly orphanedStacks?: Record<string, StackOwner & { readonly kept: string[] }>;
}

interface EarlierManifest {
  readonly stacks: Record<string, StackManifest>;
  readonly amifleet?: SynthRecord;
}

/** A synth output: manifest.json with cdktf's stacks (from amifleet, or an earlier amifleet, or `cdktf synth` of main.ts). */
export const SYNTH_OUTPUT: OutputKind = {
  option: '--out',
  isEarlierOutput: (dir) => readEarlierManifest(dir) !== undefined,
};

function readEarlierManifest(dir: string): EarlierManifest | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  const stacks = (manifest as { stacks?: unknown })?.stacks;
  if (stacks === null || typeof stacks !== 'object' || Array.isArray(stacks)) return undefined;
  const wellFormed = Object.entries(stacks as Record<string, StackManifest>).every(([name, s]) =>
    s?.synthesizedStackPath === `stacks/${name}/${STACK_FILE}`);
  return wellFormed ? manifest as EarlierManifest : undefined;
}

/** A fleet of this run: its validated fleet and the file it came from. */
export interface RunFleet {
  readonly file: string;
  readonly fleet: Fleet;
}

/** What a synth does with an earlier output, beyond writing its own stacks. */
export interface SynthOutputPlan {
  /** cdktf manifest entries of stacks this run does not make but keeps (other fleets', an earlier version's). */
  readonly keptStacks: Record<string, StackManifest>;
  /** amifleet's section of the new manifest. */
  readonly record: SynthRecord;
  /** Files amifleet wrote before and removes now: the stack files of removed stacks. */
  readonly stale: string[];
  /** What a person needs to hear. */
  readonly notes: SynthOutputNotes;
}

export interface SynthOutputNotes {
  /** Names of what Terraform (or anyone) left in this run's stack directories, kept, and how many directories held them. */
  readonly keptFiles: { readonly names: string[]; readonly directories: number };
  /** Stack directories no fleet makes any more, kept because they hold Terraform's files or state. */
  readonly orphaned: { readonly stack: string; readonly owner?: StackOwner; readonly kept: string[] }[];
  /** Stack directories no fleet makes any more, removed (they held only amifleet's file). */
  readonly removed: string[];
  /** Local state files where amifleet 0.1 kept them, inside the stack directory. */
  readonly legacyStates: { readonly stack: string; readonly file: string; readonly statePath: string; readonly both: boolean }[];
}

/**
 * Plans the synth of `fleets` into `target`: which earlier stacks are this run's (replaced),
 * another fleet's (kept as they are), or no fleet's any more (removed when their directory
 * holds only amifleet's file, else kept and named).
 */
export function planSynthOutput(target: OutputTarget, fleets: readonly RunFleet[]): SynthOutputPlan {
  const owners = stackOwners(target.dir, fleets);
  const earlier = target.earlier ? readEarlierManifest(target.dir) : undefined;
  const runFleets = new Set(fleets.map((f) => f.fleet.fleet));
  const runFiles = new Set(fleets.map((f) => ownerFile(target.dir, f.file)));
  const project = dirname(target.dir);
  const keptStacks: Record<string, StackManifest> = {};
  const keptOwners: Record<string, StackOwner> = {};
  const orphanedStacks: Record<string, StackOwner & { kept: string[] }> = {};
  const notes = { keptFiles: { names: new Set<string>(), directories: 0 }, orphaned: [] as SynthOutputNotes['orphaned'],
    removed: [] as string[], legacyStates: [] as SynthOutputNotes['legacyStates'] };
  const stale: string[] = [];

  const earlierStacks = { ...(earlier?.amifleet?.orphanedStacks ?? {}), ...(earlier?.stacks ?? {}) };
  for (const name of Object.keys(earlierStacks).sort()) {
    const dir = join(target.dir, 'stacks', name);
    const others = terraformFiles(dir);
    if (owners[name] !== undefined) {
      if (others.length > 0) {
        notes.keptFiles.directories++;
        for (const f of others) notes.keptFiles.names.add(f);
      }
      continue;
    }
    const owner = earlier?.amifleet?.stacks[name] ?? earlier?.amifleet?.orphanedStacks?.[name];
    const gone = owner === undefined
      // A stack of an amifleet 0.1 or `cdktf synth` output: whose it is, is not known; a name of this run's fleets says it.
      ? fleets.some((f) => name === f.fleet.fleet || name.startsWith(`${f.fleet.fleet}-`))
      : runFleets.has(owner.fleet) || runFiles.has(owner.file) || !existsSync(resolve(project, owner.file));
    if (!gone) {
      if (earlier?.stacks[name] !== undefined) keptStacks[name] = earlier.stacks[name];
      if (owner !== undefined && earlier?.stacks[name] !== undefined) keptOwners[name] = owner;
      else if (owner !== undefined) orphanedStacks[name] = owner as StackOwner & { kept: string[] };
      continue;
    }
    if (!existsSync(dir)) continue;
    const state = localStateOf(dir);
    const kept = [...others, ...(state && existsSync(state) ? [relative(dir, state)] : [])];
    if (kept.length > 0) {
      orphanedStacks[name] = { fleet: owner?.fleet ?? '', file: owner?.file ?? '', kept };
      notes.orphaned.push({ stack: name, owner, kept });
    } else {
      stale.push(join('stacks', name, STACK_FILE));
      notes.removed.push(name);
    }
  }
  for (const f of fleets) {
    if (f.fleet.state.backend !== 'local') continue;
    for (const name of Object.keys(fleetStackNames(f.fleet))) {
      const dir = join(target.dir, 'stacks', name);
      const legacy = join(dir, legacyLocalStateFile(name));
      if (!existsSync(legacy)) continue;
      const statePath = resolve(dir, localStatePath(name));
      notes.legacyStates.push({ stack: name, file: legacy, statePath, both: existsSync(statePath) });
    }
  }
  const record: SynthRecord = {
    command: 'synth',
    stacks: sortedKeys({ ...keptOwners, ...owners }),
    ...(Object.keys(orphanedStacks).length > 0 ? { orphanedStacks: sortedKeys(orphanedStacks) } : {}),
  };
  return {
    keptStacks, record, stale,
    notes: { ...notes, keptFiles: { names: [...notes.keptFiles.names].sort(), directories: notes.keptFiles.directories } },
  };
}

/** Who makes each stack of this run, and in which wave it applies. */
function stackOwners(outDir: string, fleets: readonly RunFleet[]): Record<string, StackOwner> {
  const owners: Record<string, StackOwner> = {};
  for (const f of fleets) {
    const single = f.fleet.layout === 'single';
    const places = fleetStackNames(f.fleet);
    for (const [name, waves] of Object.entries(fleetStackWaves(f.fleet))) {
      const place = places[name];
      const where = place.kind === 'share' ? { role: 'share' as const } : place.account !== undefined ? { account: place.account } : {};
      // The share stack is one apply in one region: a wave of its own, whatever the layout.
      const wave = single && place.kind !== 'share' ? { waves } : { wave: waves[0] };
      owners[name] = { fleet: f.fleet.fleet, file: ownerFile(outDir, f.file), ...where, ...wave };
    }
  }
  return owners;
}

/** A fleet file as the manifest names it: relative to the output directory's parent, with forward slashes, so outputs do not depend on the machine. */
function ownerFile(outDir: string, file: string): string {
  return relative(dirname(outDir), resolve(file)).split(sep).join('/');
}

/** What a stack directory holds besides amifleet's file: Terraform's `.terraform/`, lock file, plans, state (`name/` for a directory). */
function terraformFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.name !== STACK_FILE)
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
  } catch {
    return [];
  }
}

/** Where the stack's earlier configuration keeps local state, if it does. */
function localStateOf(dir: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, STACK_FILE), 'utf8')) as { terraform?: { backend?: { local?: { path?: unknown } } } };
    const path = json.terraform?.backend?.local?.path;
    return typeof path === 'string' ? resolve(dir, path) : undefined;
  } catch {
    return undefined;
  }
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { fleetRollout } from '../modules/fleet/rollout';
import { fleetStackWaves, SHARE_STACK_WAVE } from '../modules/fleet/stack-waves';
import { accountRegions, accountText, hasAccounts } from './account-regions';
import { formatDiagnostic } from '../loader/diagnostic';
import { ioReason, loadFleetText, MAX_FLEET_FILE_BYTES, type LoadedFleet } from '../loader/load-fleet';
import { writeFileAtomically } from './atomic-write';
import { complain, EXIT, Exit, plural, report } from './exit';
import { alignedColumns } from './aligned-columns';
import { FleetFileEdit } from './fleet-file-edit';

// release, promote and rollback are one workflow on a fleet file: read it, refuse an invalid one,
// change its rollout fields in place, validate the result as `validate` would, write it whole, and
// say per region what it launches before and after.

export type RolloutCommand = 'release' | 'promote' | 'rollback';

/** A step that does not apply to the fleet as it is (`nothing to promote`): exit 1, file untouched. */
export class StepRefused extends Error {}

/** What a step says beside the table: lines about what it did that the table does not show. */
export interface StepNotes {
  readonly notes: readonly string[];
}

/** Changes the fields of one step in `edit`, judged from the validated fleet; throws StepRefused when it does not apply. */
export type RolloutStepChange = (fleet: Fleet, edit: FleetFileEdit) => StepNotes;

export function runRolloutStep(command: RolloutCommand, file: string, change: RolloutStepChange): void {
  const { bytes, target, mode } = readFleetFile(command, file);
  const original = loadFleetText(file, bytes);
  if (!original.fleet) {
    printDiagnostics(original);
    complain(`amifleet ${command}: ${errorCount(original)} in ${file}; fix them first (amifleet validate ${file}); nothing changed`);
    throw new Exit(EXIT.invalid);
  }
  const edit = new FleetFileEdit(bytes.toString('utf8'));
  let said: StepNotes;
  try {
    said = change(original.fleet, edit);
  } catch (e) {
    if (!(e instanceof StepRefused)) throw e;
    complain(`amifleet ${command}: ${e.message}; ${file} unchanged`);
    throw new Exit(EXIT.invalid);
  }
  const { text, layoutKept } = edit.result();
  const updated = loadFleetText(file, text);
  printDiagnostics(updated);
  if (!updated.fleet) {
    complain(`amifleet ${command}: ${errorCount(updated)} in ${file} as ${command} would write it (positions are in that text, not in the file); nothing changed`);
    throw new Exit(EXIT.invalid);
  }
  writeUnlessChanged(command, file, target, bytes, text, mode);
  report(`${file}: ${command} changed ${edit.changedFields.join(', ')}`);
  if (!layoutKept) report(`note: the layout of ${file} could not be kept as written; it was rewritten as YAML, comments kept`);
  process.stdout.write(`\n${rolloutChangeTable(original.fleet, updated.fleet)}\n`);
  for (const note of said.notes) report(note);
  report(`next: ${nextStep(command, file, original.fleet, updated.fleet)}`);
}

/** The file's bytes, where to write it (a link's target) and its mode; anything but a readable regular file is a usage error. */
function readFleetFile(command: RolloutCommand, file: string): { bytes: Buffer; target: string; mode: number } {
  const usage = (what: string): never => {
    complain(`amifleet ${command}: ${file}: ${what}`);
    throw new Exit(EXIT.usage);
  };
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) usage(`is a directory; give one fleet file`);
    if (!stat.isFile()) usage('is not a regular file; give one fleet file');
    if (stat.size > MAX_FLEET_FILE_BYTES) usage(`is ${stat.size} bytes; a fleet file may be at most ${MAX_FLEET_FILE_BYTES} bytes`);
    return { bytes: readFileSync(file), target: realpathSync(file), mode: stat.mode & 0o7777 };
  } catch (e) {
    if (e instanceof Exit) throw e;
    return usage(`cannot read: ${ioReason(e)}`);
  }
}

/** Writes the new text in one rename, unless someone changed the file since it was read. */
function writeUnlessChanged(command: RolloutCommand, file: string, target: string, read: Buffer, text: string, mode: number): void {
  let now: Buffer | undefined;
  try {
    now = readFileSync(target);
  } catch {
    now = undefined;
  }
  if (!now || !now.equals(read)) {
    complain(`amifleet ${command}: ${file} changed while amifleet was editing it; run ${command} again; nothing written`);
    throw new Exit(EXIT.invalid);
  }
  try {
    writeFileAtomically(target, text, mode);
  } catch (e) {
    complain(`amifleet ${command}: cannot write ${file}: ${ioReason(e)}; nothing changed`);
    throw new Exit(EXIT.usage);
  }
}

function printDiagnostics(loaded: LoadedFleet): void {
  for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

function errorCount(loaded: LoadedFleet): string {
  return plural(loaded.diagnostics.filter((d) => d.severity === 'error').length, 'error');
}

/** One row per account and region, in wave order: which image it launches before and after, marked where that changes. */
export function rolloutChangeTable(before: Fleet, after: Fleet): string {
  const withAccounts = hasAccounts(after);
  const beforeRows = new Map(accountRegions(before).map((r) => [`${r.view.account ?? ''}/${r.region}`, r]));
  const rows = accountRegions(after).map(({ view, rollout, region, wave }) => {
    const was = beforeRows.get(`${view.account ?? ''}/${region}`);
    const from = was ? launchedImage(was.view.fleet, region, was.rollout.regions[region]?.sourceImage) : '-';
    const to = launchedImage(view.fleet, region, rollout.regions[region].sourceImage);
    return [...(withAccounts ? [accountText(view)] : []), region, String(wave), from, to, from === to ? '' : '<- changes'];
  });
  return alignedColumns([[...(withAccounts ? ['ACCOUNT'] : []), 'REGION', 'WAVE', 'BEFORE', 'AFTER', ''], ...rows]);
}

/** What a region's launch template starts: its adopted image, the pinned source, or what the source resolves to at plan. */
function launchedImage(fleet: Fleet, region: string, sourceImage: string | undefined): string {
  const adopted = fleet.regions[region]?.adopt?.image;
  if (adopted !== undefined) return `${adopted} (adopted)`;
  if (sourceImage !== undefined) return sourceImage;
  return fleet.source.ssmParameter !== undefined ? `ssm:${fleet.source.ssmParameter} at plan` : 'lookup at plan';
}

/** What to run after the step: which stacks to plan and apply first, and the step after that. */
function nextStep(command: RolloutCommand, file: string, before: Fleet, fleet: Fleet): string {
  const rollout = fleetRollout(fleet);
  const rows = accountRegions(fleet);
  const waveOfStack = fleetStackWaves(fleet);
  const share = Object.keys(waveOfStack).find((s) => waveOfStack[s].includes(SHARE_STACK_WAVE));
  // Stacks of waves from..to, in every account, in the order `show` lists their regions.
  const stacks = (from: number, to: number): string =>
    [...new Set(rows.filter((r) => r.wave >= from && r.wave <= to).map((r) => r.stack))].join(', ');
  const count = Math.max(...rows.map((r) => r.wave), rollout.waves.length);
  const image = fleet.source.ami ?? 'the source image';
  if (command === 'release') {
    // The new image must be shared with the accounts before their stacks copy it.
    const first = share !== undefined ? `the share stack first (${share}), then wave 1` : 'wave 1 first';
    if (count === 1) return `synth, then plan and apply every stack${share !== undefined ? `, the share stack first (${share})` : ''}: every region copies and launches ${image}`;
    return `synth, then plan and apply every stack, ${first} (${stacks(1, 1)}): every region copies ${image}, wave 1 launches it; then amifleet promote ${file}`;
  }
  if (command === 'promote') {
    const wave = rollout.promoted;
    const then = wave < count ? `then amifleet promote ${file}` : `then every wave launches ${image}`;
    return `synth, then plan and apply wave ${wave}'s stacks (${stacks(wave, wave)}); ${then}`;
  }
  const wasPromoted = fleetRollout(before).promoted;
  const waves = wasPromoted === 1 ? "wave 1's stacks" : `the stacks of waves 1-${wasPromoted}`;
  return `synth, then plan and apply ${waves} (${stacks(1, wasPromoted)}): they go back to ${fleet.source.previous[0]}; once a fixed image is built, amifleet release ${file} --ami <its id>`;
}

/** Sets `rollout.promoted`: after `waves` in the fleet's rollout, or in a new rollout section after `source`. */
export function setPromoted(edit: FleetFileEdit, promoted: number): void {
  if (edit.value(['rollout']) === undefined) edit.set(['rollout'], { promoted }, 'source');
  else edit.set(['rollout', 'promoted'], promoted, 'waves');
}

import type { Command } from 'commander';
import { isDeepStrictEqual } from 'node:util';
import { AMI_ID } from '../../modules/fleet/fleet-spec';
import { fleetRollout } from '../../modules/fleet/rollout';
import { unpinnedSourceAcrossStacks } from '../../modules/fleet/rules/unpinned-source-across-stacks';
import { complain, EXIT, Exit } from '../exit';
import { runRolloutStep, setPromoted, StepRefused, type RolloutStepChange } from '../rollout-step';

/** How many earlier images `source.previous` keeps by default: the one a rollback goes to, and one before it. */
export const DEFAULT_KEEP = 2;
const UNPINNED_SOURCE = unpinnedSourceAcrossStacks.id;

export function registerRelease(program: Command): void {
  program.command('release')
    .description('make a new image the release, in place: it becomes source.ami, the old one source.previous[0], and only wave 1 (the canary) launches it (promoted: 1)')
    .argument('<file>', 'a fleet file')
    .option('--ami <id>', 'the new source image, in the source region (ami-...)')
    .option('--keep <n>', 'how many earlier images source.previous keeps (their copies stay in every region)', String(DEFAULT_KEEP))
    .action((file: string, options: { ami?: string; keep: string }) => {
      const usage = (message: string): never => {
        complain(`amifleet release: ${message}`);
        throw new Exit(EXIT.usage);
      };
      const ami = options.ami ?? usage('--ami is required: the id of the new source image (ami-...)');
      if (!AMI_ID.test(ami)) usage(`--ami "${ami}" is not an AMI id (ami- followed by 8 or 17 hex digits)`);
      const keep = /^\d+$/.test(options.keep) ? Number(options.keep) : 0;
      if (keep < 1) usage(`--keep "${options.keep}" must be a whole number of images, at least 1 (the one a rollback goes back to)`);
      runRolloutStep('release', file, releaseChange(ami, keep));
    });
}

/**
 * The release of `ami`: it becomes source.ami and the image it replaces source.previous[0]
 * (unless that image was rolled back everywhere: then what the fleet runs stays previous[0]),
 * previous keeps `keep` images, and only wave 1 launches the release.
 */
export function releaseChange(ami: string, keep: number): RolloutStepChange {
  return (fleet, edit) => {
    const { source } = fleet;
    if (source.ami === ami) throw new StepRefused(`${ami} is already the release (source.ami)`);
    const before = fleetRollout(fleet);
    const notes: string[] = [];
    const rolledBack = source.ami !== undefined && before.promoted === 0;
    if (source.ami !== undefined) {
      edit.set(['source', 'ami'], ami);
    } else {
      const key = source.lookup !== undefined ? 'lookup' : 'ssmParameter';
      edit.replaceKey(['source', key], 'ami', ami);
      notes.push(`source.${key} is replaced by source.ami: the fleet is pinned to ${ami}; nothing went to source.previous, since the ${key === 'lookup' ? 'lookup' : 'SSM parameter'} named no fixed image`);
      // The warning it accepted is about an unpinned source: pinned, the entry would only be reported as unused.
      if (fleet.suppress[UNPINNED_SOURCE] !== undefined) {
        edit.remove(Object.keys(fleet.suppress).length === 1 ? ['suppress'] : ['suppress', UNPINNED_SOURCE]);
        notes.push(`suppress.${UNPINNED_SOURCE} is removed: a pinned source has nothing to warn about there`);
      }
    }
    if (source.previous.includes(ami)) notes.push(`${ami} was in source.previous: it is the release again, so it left source.previous`);
    const replaced = source.ami !== undefined && !rolledBack ? [source.ami] : [];
    const candidates = [...replaced, ...source.previous.filter((id) => id !== ami)];
    const kept = candidates.slice(0, keep);
    const dropped = candidates.slice(keep);
    if (rolledBack) {
      notes.push(`${source.ami} was rolled back everywhere (promoted: 0), so it does not go to source.previous and its copies are destroyed at the next apply; the waves after the canary stay on ${source.previous[0]}`);
    }
    if (!isDeepStrictEqual(kept, source.previous)) edit.set(['source', 'previous'], kept, 'ami');
    if (dropped.length > 0) {
      notes.push(`dropped ${dropped.join(', ')} from source.previous (--keep ${keep}): ${dropped.length === 1 ? 'its' : 'their'} copies are destroyed at the next apply`);
    }
    const waves = before.waves.length;
    const written = edit.value(['rollout', 'promoted']);
    if (rolledBack && ami === source.previous[0]) {
      // What every wave went back to becomes the release again: every wave launches it, as they do now.
      notes.push(`${ami} is what every wave launches since the rollback: it is the release everywhere (promoted: ${waves})`);
      setPromoted(edit, waves);
    } else if (waves > 1 || (written !== undefined && written !== 1)) {
      // One wave promoted is the default: a fleet without rollout stays without it.
      setPromoted(edit, 1);
    }
    if (source.ami !== undefined && before.promoted > 0 && before.promoted < waves) {
      notes.push(`waves ${before.promoted + 1}-${waves} had not been promoted to ${source.ami} yet; as source.previous[0] they launch it now`);
    }
    return { notes };
  };
}

import type { Command } from 'commander';
import { fleetRollout } from '../../modules/fleet/rollout';
import { runRolloutStep, setPromoted, StepRefused, type RolloutStepChange } from '../rollout-step';

export function registerRollback(program: Command): void {
  program.command('rollback')
    .description('put every wave back on source.previous[0], in place (rollout.promoted: 0); exit 1 when every wave already is')
    .argument('<file>', 'a fleet file')
    .action((file: string) => runRolloutStep('rollback', file, rollbackChange));
}

/** No wave launches source.ami: every region goes back to source.previous[0], whose copies it kept. */
export const rollbackChange: RolloutStepChange = (fleet, edit) => {
  const previous = fleet.source.previous[0];
  if (previous === undefined) {
    throw new StepRefused('source.previous is empty, so there is no earlier image to go back to (amifleet release keeps the image it replaces there)');
  }
  if (fleetRollout(fleet).promoted === 0) throw new StepRefused(`nothing to roll back: every wave launches ${previous} (source.previous[0])`);
  setPromoted(edit, 0);
  return { notes: [] };
};

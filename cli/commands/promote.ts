import type { Command } from 'commander';
import { fleetRollout } from '../../modules/fleet/rollout';
import { runRolloutStep, setPromoted, StepRefused, type RolloutStepChange } from '../rollout-step';

export function registerPromote(program: Command): void {
  program.command('promote')
    .description('let the next wave launch source.ami, in place (rollout.promoted + 1); exit 1 when every wave already does')
    .argument('<file>', 'a fleet file')
    .action((file: string) => runRolloutStep('promote', file, promoteChange));
}

/** One more wave launches source.ami. */
export const promoteChange: RolloutStepChange = (fleet, edit) => {
  const rollout = fleetRollout(fleet);
  if (rollout.promoted >= rollout.waves.length) {
    throw new StepRefused(`nothing to promote: every wave launches ${fleet.source.ami ?? 'the source image'}`);
  }
  setPromoted(edit, rollout.promoted + 1);
  return { notes: [] };
};

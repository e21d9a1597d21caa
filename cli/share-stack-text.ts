import type { Fleet } from '../modules/fleet/fleet-spec';
import { sourceNeedsSharing } from '../modules/fleet/fleet-accounts';
import { shareStackName } from '../modules/fleet/fleet-names';
import { SHARE_STACK_WAVE } from '../modules/fleet/stack-waves';

/**
 * What the share stack grants whom, in one sentence for `show` and `docs`; for a source no
 * account needs shared (public, or shared by its owner), why there is no share stack.
 */
export function shareStackText(fleet: Fleet): string {
  const accounts = Object.keys(fleet.accounts).sort().map((name) => `${name} (${fleet.accounts[name].id})`).join(', ');
  if (!sourceNeedsSharing(fleet)) {
    return `no share stack: the source is not the credentials' own (public, or shared by its owner), so ${accounts} read it directly; their stacks check at plan that they can`;
  }
  const { source } = fleet;
  const images = source.ami !== undefined ? [source.ami, ...source.previous].join(', ')
    : source.lookup !== undefined ? 'the image the lookup finds' : `the image in SSM parameter ${source.ssmParameter}`;
  return `${shareStackName(fleet.fleet)} (wave ${SHARE_STACK_WAVE}, the credentials' own account, ${source.region}) grants ${accounts} `
    + `launch permission on ${images}, create-volume permission on their snapshots, and a KMS grant to each account's role on a customer managed key that encrypts them`;
}

import type { GuardCondition, RegionalGuardContext } from './regional-guard';
import { instanceTypeOffered } from './instance-type-offered';
import { instanceTypeArchitecture } from './instance-type-architecture';
import { kmsKeyEnabled } from './kms-key-enabled';
import { adoptedTemplateName } from './adopted-template-name';
import { snapshotDevicesMatch } from './snapshot-devices-match';

export * from './regional-guard';
export * from './source-image-usable';
export * from './assumed-role-account';
export * from './source-image-readable';
export { instanceTypeOffered, instanceTypeArchitecture, kmsKeyEnabled, adoptedTemplateName, snapshotDevicesMatch };

/** Every plan-time guard of one region: adding a guard is adding a file and a line here. */
export const REGIONAL_GUARDS: readonly ((ctx: RegionalGuardContext) => GuardCondition[])[] = [
  instanceTypeOffered,
  instanceTypeArchitecture,
  kmsKeyEnabled,
  adoptedTemplateName,
  snapshotDevicesMatch,
];

export function regionalGuards(ctx: RegionalGuardContext): GuardCondition[] {
  return REGIONAL_GUARDS.flatMap((guard) => guard(ctx));
}

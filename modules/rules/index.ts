import type { Fleet } from '../fleet-spec';
import type { FleetIssue } from '../fleet-validation-error';
import type { FleetRule } from './fleet-rule';
import { unknownRegion } from './unknown-region';
import { unknownInstanceType } from './unknown-instance-type';
import { crossPartitionCopy } from './cross-partition-copy';
import { kmsKeyRegionMismatch } from './kms-key-region-mismatch';
import { arnPartitionMismatch } from './arn-partition-mismatch';
import { kmsKeyWithoutEncryption } from './kms-key-without-encryption';
import { imageCopyNameInvalid } from './image-copy-name-invalid';
import { launchTemplateNameInvalid } from './launch-template-name-invalid';
import { tagCountExceeded } from './tag-count-exceeded';
import { tagKeyInvalid } from './tag-key-invalid';
import { tagValueTooLong } from './tag-value-too-long';
import { reservedTagOverridden } from './reserved-tag-overridden';
import { rootVolumeSizeOutOfRange } from './root-volume-size-out-of-range';
import { deprecationTooFar } from './deprecation-too-far';
import { ssmParameterNameInvalid } from './ssm-parameter-name-invalid';

export type { FleetRule, RuleFinding } from './fleet-rule';

/** Every rule a fleet is checked against after the schema; adding a check is adding a file and a line here. */
export const FLEET_RULES: readonly FleetRule[] = [
  unknownRegion,
  unknownInstanceType,
  crossPartitionCopy,
  kmsKeyRegionMismatch,
  arnPartitionMismatch,
  kmsKeyWithoutEncryption,
  imageCopyNameInvalid,
  launchTemplateNameInvalid,
  tagCountExceeded,
  tagKeyInvalid,
  tagValueTooLong,
  reservedTagOverridden,
  rootVolumeSizeOutOfRange,
  deprecationTooFar,
  ssmParameterNameInvalid,
];

/** Runs rules over a validated fleet; each finding carries its rule's id and severity. */
export function fleetRuleIssues(fleet: Fleet, rules: readonly FleetRule[] = FLEET_RULES): FleetIssue[] {
  return rules.flatMap((rule) => rule.check(fleet).map((f) => ({ ...f, severity: rule.severity, rule: rule.id })));
}

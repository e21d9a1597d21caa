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
import { instanceTypeArchitectureMismatch } from './instance-type-architecture-mismatch';
import { imdsv2Optional } from './imdsv2-optional';
import { hopLimitAboveOne } from './hop-limit-above-one';
import { unencryptedCopy } from './unencrypted-copy';
import { publicSharing } from './public-sharing';
import { sharedCopyWithoutKmsKey } from './shared-copy-without-kms-key';
import { s3StateWithoutLocking } from './s3-state-without-locking';
import { rolloutWavesInvalid } from './rollout-waves-invalid';
import { rolloutPromotedOutOfRange } from './rollout-promoted-out-of-range';
import { rolloutWithoutPreviousImage } from './rollout-without-previous-image';
import { previousImageInvalid } from './previous-image-invalid';
import { adoptedImageInRollout } from './adopted-image-in-rollout';
import { repeatedListItem } from './repeated-list-item';
import { autoScalingWithoutSubnets } from './auto-scaling-without-subnets';
import { targetGroupRegionMismatch } from './target-group-region-mismatch';
import { unpinnedSourceAcrossStacks } from './unpinned-source-across-stacks';
import { healthCheckWithoutLoadBalancer } from './health-check-without-load-balancer';
import { accountNameConflict } from './account-name-conflict';
import { accountIdRepeated } from './account-id-repeated';
import { roleArnAccountMismatch } from './role-arn-account-mismatch';
import { kmsKeyAccountMismatch } from './kms-key-account-mismatch';
import { targetGroupAccountMismatch } from './target-group-account-mismatch';
import { accountsWithShareWith } from './accounts-with-share-with';
import { shareWithWithoutRegions } from './share-with-without-regions';
import { didYouMean } from '../closest-name';
import { refusedReads, unlessRejected } from '../rejected-fields';
import { independentParts, type RuleFinding } from './fleet-rule';
import { ruleViews } from './account-rule-views';

export type { FleetRule, RuleFinding } from './fleet-rule';
export { eachIndependently, independentParts } from './fleet-rule';

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
  instanceTypeArchitectureMismatch,
  imdsv2Optional,
  hopLimitAboveOne,
  unencryptedCopy,
  publicSharing,
  sharedCopyWithoutKmsKey,
  s3StateWithoutLocking,
  rolloutWavesInvalid,
  rolloutPromotedOutOfRange,
  rolloutWithoutPreviousImage,
  previousImageInvalid,
  adoptedImageInRollout,
  repeatedListItem,
  autoScalingWithoutSubnets,
  targetGroupRegionMismatch,
  unpinnedSourceAcrossStacks,
  healthCheckWithoutLoadBalancer,
  accountNameConflict,
  accountIdRepeated,
  roleArnAccountMismatch,
  kmsKeyAccountMismatch,
  targetGroupAccountMismatch,
  accountsWithShareWith,
  shareWithWithoutRegions,
];

/**
 * Runs rules over a validated fleet (or one repaired after the schema rejected some fields, whose
 * rejected fields no finding may read); each finding carries its rule's id and severity. Warnings
 * the fleet suppresses (`suppress: { <id>: <reason> }`) are left out; errors cannot be.
 */
export function fleetRuleIssues(fleet: Fleet, rules: readonly FleetRule[] = FLEET_RULES): FleetIssue[] {
  const found: FleetIssue[] = [];
  // Rules that checked all of the fleet: only they can tell that a suppression is stale.
  const complete = new Set<string>();
  for (const rule of rules) {
    const refused = refusedReads(fleet);
    found.push(...ruleFindings(rule, fleet).map((f) => ({ ...f, severity: rule.severity, rule: rule.id })));
    if (refusedReads(fleet) === refused) complete.add(rule.id);
  }
  const suppressed = unlessRejected(() => Object.keys(fleet.suppress ?? {}));
  // Which warnings the fleet accepts is unknown while its suppress map is rejected: report none.
  if (suppressed === undefined) return found.filter((issue) => issue.severity === 'error');
  return [
    ...found.filter((issue) => !(issue.severity === 'warning' && issue.rule !== undefined && suppressed.includes(issue.rule))),
    ...suppressionIssues(suppressed, found, complete),
  ];
}

/**
 * A rule's findings in the fleet and in each account's regions. An account's view holds the
 * fleet-level fields too: what it finds there is reported once, by the first view to find it.
 */
function ruleFindings(rule: FleetRule, fleet: Fleet): RuleFinding[] {
  if (rule.acrossAccounts) return independentParts(() => rule.check(fleet));
  const found: RuleFinding[] = [];
  const fleetLevel = new Set<string>();
  for (const view of ruleViews(fleet)) {
    const inView = independentParts(() => rule.check(view.fleet));
    const seenBefore = new Set(fleetLevel);
    for (const finding of inView) {
      if (finding.path[0] === 'regions') {
        found.push({ ...finding, path: [...view.regionsPath, ...finding.path.slice(1)] });
        continue;
      }
      const key = JSON.stringify(finding.path);
      if (seenBefore.has(key)) continue;
      fleetLevel.add(key);
      found.push(finding);
    }
  }
  return found;
}

/** Every suppression names a warning that fired: an unknown id, an error or a stale entry is reported. */
function suppressionIssues(ids: string[], found: readonly FleetIssue[], complete: ReadonlySet<string>): FleetIssue[] {
  const byId = new Map(FLEET_RULES.map((r) => [r.id, r]));
  const warnings = FLEET_RULES.filter((r) => r.severity === 'warning').map((r) => r.id);
  return ids.flatMap((id): FleetIssue[] => {
    const rule = byId.get(id);
    const path = ['suppress', id];
    if (rule === undefined) {
      return [{ path, atKey: true, severity: 'error', message: `no check has the id "${id}"`, suggestion: didYouMean(id, warnings) }];
    }
    if (rule.severity === 'error') {
      return [{ path, atKey: true, severity: 'error', message: `${id} finds errors, which cannot be suppressed: a fleet with one cannot work` }];
    }
    if (complete.has(id) && !found.some((issue) => issue.rule === id)) {
      return [{ path, atKey: true, severity: 'warning', rule: 'unused-suppression', message: `${id} finds nothing to warn about in this fleet`, suggestion: 'remove this entry' }];
    }
    return [];
  });
}

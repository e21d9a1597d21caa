import { z } from 'zod';

// The fleet file contract (shared/PRODUCT.md), in one place: the loader validates with it,
// the constructs validate with it, and fleet.schema.json is generated from it.

/** A fleet's name, and an account's in `accounts`: both name stacks and resources. */
export const FLEET_NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** An AMI id as EC2 writes it; `amifleet release --ami` checks its flag with it too. */
export const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ACCOUNT_ID = /^\d{12}$/;
const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_./-]{1,1010}$/;
const INSTANCE_PROFILE = /^([\w+=,.@-]{1,128}|arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]{1,128})$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
/** An IAM role ARN as IAM writes it: partition, account id, then role/ with an optional path (STS AssumeRole takes up to 2048 characters). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const OU_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

export const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'] as const;
export const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export const LAYOUTS = ['per-region', 'single'] as const;
export const HEALTH_CHECK_TYPES = ['EC2', 'ELB'] as const;
/** In `rollout.waves`, the last wave's name for every region not named in an earlier wave. */
export const EVERY_OTHER_REGION = '*';
/** The one value of `copy.shareWith.public` that makes copies public: it says who can then launch them. */
export const EVERY_AWS_ACCOUNT = 'every-aws-account';

// A refinement judges fields together (list them in modules/fleet/rejected-fields.ts). It runs even
// when another field of its map was rejected (zod skips it then), so its mistake comes out too.
const isMap = (payload: { value: unknown }) => payload.value !== null && typeof payload.value === 'object' && !Array.isArray(payload.value);

/** Whether the schema rejected `field` of the map a refinement judges: a refinement does not judge what is already wrong. */
const rejected = (ctx: z.RefinementCtx, field: string) => ctx.issues.some((issue) => issue.path?.[0] === field);

const text = (pattern: RegExp, what: string) => z.string().regex(pattern, { message: `must be ${what}` });

/**
 * Fields whose values are AWS's names. Which names exist is AWS knowledge, kept out of the schema:
 * the rules check them (modules/fleet/rules), and fleet.schema.json lists them for editors.
 */
export const awsNameFields = z.registry<{ awsName: 'region' | 'instanceType' }>();
const awsName = (awsName: 'region' | 'instanceType', description: string) =>
  z.string().min(1).meta({ description }).register(awsNameFields, { awsName });

export const regionName = awsName('region', 'An AWS region name such as eu-west-1.');
const amiId = text(AMI_ID, 'an AMI id: ami- followed by 8 or 17 hex digits');
const securityGroupId = text(SECURITY_GROUP_ID, 'a security group id: sg- followed by 8 or 17 hex digits');
const accountId = text(ACCOUNT_ID, 'a 12-digit AWS account id, quoted as a string');
const tagMap = z.record(z.string(), z.string()).meta({ description: 'Tag name -> value.' });

/**
 * A KMS key ARN's parts as the hashicorp/aws provider (5.100, 6.x) checks them for `aws_ami_copy`
 * and `aws_launch_template` (internal/verify ValidARN) and `data.aws_kms_key` (internal/service/kms
 * validateKeyOrAlias): amifleet passes the key to all three, so it takes what all three take,
 * narrowed where AWS is narrower (README: Validation, KMS keys).
 */
const KMS_ARN = {
  partition: 'aws(-[a-z]+)*',
  // What 5.100 and 6.x both take: 6.x also takes 4 letters first (eusc-de-east-1), 5.100 does not.
  region: '[a-z]{2}(-[a-z]+)+-\\d{1,2}',
  account: '\\d{12}',
  // RFC 4122: the version digit 1-5, the variant digit 8, 9, a or b; multi-Region keys are mrk- + 32 hex.
  keyId: '[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|mrk-[0-9a-f]{32}',
  // CreateAlias: 256 characters with the alias/ prefix.
  aliasName: '[A-Za-z0-9/_-]{1,250}',
} as const;
const KMS_KEY_ARN = new RegExp(`^arn:(${KMS_ARN.partition}):kms:(${KMS_ARN.region}):${KMS_ARN.account}:(key/(${KMS_ARN.keyId})|alias/${KMS_ARN.aliasName})$`);
const KMS_ARN_PART = Object.fromEntries(Object.entries(KMS_ARN).map(([part, p]) => [part, new RegExp(`^(${p})$`)])) as Record<keyof typeof KMS_ARN, RegExp>;
const wholly = (part: keyof typeof KMS_ARN) => KMS_ARN_PART[part];
const KMS_ARN_FORM = 'arn:<partition>:kms:<region>:<account id>:key/<key id>, or alias/<name> after the account id for an alias';

/**
 * What is wrong with a KMS key ARN, one message per wrong part, each showing that part (the
 * parts that are right elided as …) and how to fix it; empty for a valid ARN.
 *
 * @example
 * kmsKeyArnProblems('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
 * // ['arn:aws:kms:…:key/1234abcd-12ab-34cd-56ef-1234567890ab: not a KMS key id (the key id is a UUID whose 13th digit is 1-5 …)']
 */
function kmsKeyArnProblems(value: string): string[] {
  if (KMS_KEY_ARN.test(value)) return [];
  const parts = value.split(':');
  if (parts[0] !== 'arn') return [notAnArn(value)];
  if (parts.length < 6) return [`${value}: has ${parts.length} of the 6 parts of an ARN (${KMS_ARN_FORM})`];
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const shown = (wrong: number): string => excerpt(parts, wrong);
  const lowerCase = (text: string, part: keyof typeof KMS_ARN) =>
    (text !== text.toLowerCase() && wholly(part).test(text.toLowerCase()) ? `write it in lower case: ${text.toLowerCase()}` : undefined);
  const problems: string[] = [];
  if (!wholly('partition').test(partition)) {
    problems.push(`${shown(1)}: ${partition ? 'not an AWS partition' : 'no partition'} (${lowerCase(partition, 'partition') ?? 'aws, or aws- and lowercase words, such as aws-cn or aws-us-gov'})`);
  }
  if (service !== 'kms') problems.push(`${shown(2)}: not a KMS ARN (the service of a KMS key ARN is kms)`);
  if (!wholly('region').test(region)) {
    problems.push(region ? `${shown(3)}: not a region name (${lowerCase(region, 'region') ?? 'two letters, lowercase words joined by -, and a number, such as eu-west-1'})`
      : `${shown(3)}: no region (a KMS key ARN names the key's region, such as eu-west-1)`);
  }
  if (!wholly('account').test(account)) problems.push(`${shown(4)}: ${account ? 'not an account id' : 'no account id'} (the 12 digits of the account that owns the key)`);
  if (resource.startsWith('key/')) {
    const keyId = resource.slice('key/'.length);
    if (!wholly('keyId').test(keyId)) {
      problems.push(`${shown(5)}: not a KMS key id (${lowerCase(keyId, 'keyId')
        ?? 'the key id is a UUID whose 13th digit is 1-5 and 17th digit 8, 9, a or b, or mrk- and 32 hex digits for a multi-Region key'})`);
    }
  } else if (resource.startsWith('alias/')) {
    if (!wholly('aliasName').test(resource.slice('alias/'.length))) {
      problems.push(`${shown(5)}: not an alias name (alias/ and 1 to 250 letters, digits, /, _ and -)`);
    }
  } else {
    problems.push(`${shown(5)}: names neither a key nor an alias (key/<key id> or alias/<name>)`);
  }
  // The parts make up the pattern, so this is never reached; were they to disagree, the value must still fail.
  return problems.length > 0 ? problems : [`${value}: not a KMS key ARN (${KMS_ARN_FORM})`];
}

function notAnArn(value: string): string {
  if (value === '') return `no KMS key ARN (${KMS_ARN_FORM})`;
  if (wholly('keyId').test(value)) return `${value}: a key id, not a key ARN (write arn:aws:kms:<region>:<account id>:key/${value})`;
  if (value.startsWith('alias/')) return `${value}: an alias name, not an alias ARN (write arn:aws:kms:<region>:<account id>:${value})`;
  return `${value}: not a KMS key ARN (${KMS_ARN_FORM})`;
}

/** The ARN with its wrong part, the parts that say what it is (arn, partition, service), and … for the rest. */
function excerpt(parts: readonly string[], wrong: number): string {
  const resource = parts.slice(5).join(':');
  const shown = [...parts.slice(0, 5), resource].map((p, i) => (i <= Math.min(wrong, 2) || i === wrong ? p : '…'));
  return shown.filter((p, i) => p !== '…' || shown[i - 1] !== '…').join(':');
}

const kmsKeyArn = z.string().superRefine((value, ctx) => {
  for (const message of kmsKeyArnProblems(value)) ctx.addIssue({ code: 'custom', message, input: value });
}).meta({ pattern: KMS_KEY_ARN.source });

/** A target group ARN's parts, as Elastic Load Balancing makes them (CreateTargetGroup: names of 1-32 letters, digits and -). */
const TARGET_GROUP_ARN = {
  partition: KMS_ARN.partition,
  // Target groups exist in every region, eusc-de-east-1 too; no provider check narrows it here.
  region: '[a-z]{2,4}(-[a-z]+)+-\\d{1,2}',
  account: KMS_ARN.account,
  name: '[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?',
  id: '[0-9a-f]{16}',
} as const;
const TARGET_GROUP_ARN_PATTERN = new RegExp(`^arn:(${TARGET_GROUP_ARN.partition}):elasticloadbalancing:(${TARGET_GROUP_ARN.region}):${TARGET_GROUP_ARN.account}:targetgroup/(${TARGET_GROUP_ARN.name})/(${TARGET_GROUP_ARN.id})$`);
const TARGET_GROUP_FORM = 'arn:<partition>:elasticloadbalancing:<region>:<account id>:targetgroup/<name>/<id>';
const TARGET_GROUP_ARN_PART = Object.fromEntries(Object.entries(TARGET_GROUP_ARN).map(([part, p]) => [part, new RegExp(`^(${p})$`)])) as Record<keyof typeof TARGET_GROUP_ARN, RegExp>;
const isTargetGroupPart = (part: keyof typeof TARGET_GROUP_ARN, text: string) => TARGET_GROUP_ARN_PART[part].test(text);

/**
 * What is wrong with a target group ARN, one message per wrong part (shown, the rest elided as …); empty for a valid ARN.
 *
 * @example
 * targetGroupArnProblems('arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/0123456789abcdef');
 * // ['arn:aws:elasticloadbalancing:…:loadbalancer/app/shop/0123456789abcdef: a load balancer, not a target group (...)']
 */
function targetGroupArnProblems(value: string): string[] {
  if (TARGET_GROUP_ARN_PATTERN.test(value)) return [];
  const parts = value.split(':');
  if (parts[0] !== 'arn') {
    return [isTargetGroupPart('name', value)
      ? `${value}: a target group name, not its ARN (write ${TARGET_GROUP_FORM.replace('<name>', value)}, as aws elbv2 describe-target-groups shows it)`
      : `${value === '' ? 'no target group ARN' : `${value}: not a target group ARN`} (${TARGET_GROUP_FORM})`];
  }
  if (parts.length < 6) return [`${value}: has ${parts.length} of the 6 parts of an ARN (${TARGET_GROUP_FORM})`];
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const shown = (wrong: number): string => excerpt(parts, wrong);
  const problems: string[] = [];
  if (!isTargetGroupPart('partition', partition)) problems.push(`${shown(1)}: ${partition ? 'not an AWS partition' : 'no partition'} (aws, or aws- and lowercase words, such as aws-cn)`);
  if (service !== 'elasticloadbalancing') problems.push(`${shown(2)}: not an Elastic Load Balancing ARN (the service of a target group ARN is elasticloadbalancing)`);
  if (!isTargetGroupPart('region', region)) problems.push(`${shown(3)}: ${region ? 'not a region name' : 'no region'} (the target group's region, such as eu-west-1)`);
  if (!isTargetGroupPart('account', account)) problems.push(`${shown(4)}: ${account ? 'not an account id' : 'no account id'} (the 12 digits of the account that owns the target group)`);
  const [kind, name, id, ...more] = resource.split('/');
  if (kind === 'loadbalancer') {
    problems.push(`${shown(5)}: a load balancer, not a target group (the group registers its instances with the load balancer's target groups: targetgroup/<name>/<id>)`);
  } else if (kind !== 'targetgroup' || more.length > 0 || id === undefined) {
    problems.push(`${shown(5)}: names no target group (targetgroup/<name>/<id>)`);
  } else {
    if (!isTargetGroupPart('name', name)) problems.push(`${shown(5)}: not a target group name (1 to 32 letters, digits and -, not starting or ending with -)`);
    if (!isTargetGroupPart('id', id)) problems.push(`${shown(5)}: not a target group id (16 lowercase hex digits after the name)`);
  }
  return problems.length > 0 ? problems : [`${value}: not a target group ARN (${TARGET_GROUP_FORM})`];
}

const targetGroupArn = z.string().superRefine((value, ctx) => {
  for (const message of targetGroupArnProblems(value)) ctx.addIssue({ code: 'custom', message, input: value });
}).meta({ pattern: TARGET_GROUP_ARN_PATTERN.source });

const ImageLookupSchema = z.strictObject({
  owners: z.array(z.string().regex(/^(\d{12}|amazon|self|aws-marketplace)$/, {
    message: 'must be a 12-digit account id, amazon, self or aws-marketplace',
  })).min(1, { message: 'must name at least one owner' }),
  name: z.string().min(1).max(128).optional().meta({ description: 'Image name filter; * and ? wildcards allowed.' }),
  architecture: z.enum(ARCHITECTURES).optional(),
  filters: z.record(z.string().min(1), z.array(z.string()).min(1)).optional()
    .meta({ description: 'Extra aws_ami filters: filter name -> accepted values.' }),
  includeDeprecated: z.boolean().default(false),
});

const SourceSchema = z.strictObject({
  region: awsName('region', 'Region where the golden image lives.'),
  ami: amiId.optional().meta({ description: 'A pinned image id.' }),
  lookup: ImageLookupSchema.optional().meta({ description: 'An aws_ami lookup in the source region (most recent match).' }),
  ssmParameter: text(SSM_PARAMETER_NAME, 'an SSM parameter name starting with /').optional()
    .meta({ description: 'An SSM parameter holding the image id, e.g. /aws/service/ami-amazon-linux-latest/...' }),
  previous: z.array(amiId).default([])
    .meta({ description: 'Older source images, newest first: their copies stay in every region, so old launch template versions still launch and a rollback needs no new copy. Needs a pinned ami.' }),
}).superRefine((source, ctx) => {
  const given = (['ami', 'lookup', 'ssmParameter'] as const).filter((k) => source[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: given.length === 0
        ? 'needs exactly one of ami, lookup or ssmParameter'
        : `needs exactly one of ami, lookup or ssmParameter, not ${given.join(' and ')}`,
      path: given.length > 1 ? [given[1]] : [],
    });
  }
}, { when: isMap });

const RegionSchema = z.strictObject({
  kmsKeyId: kmsKeyArn.optional()
    .meta({ description: 'ARN of the KMS key, or of its alias, in this region that encrypts this region\'s copy (and the root volumes of its instances).' }),
  instanceType: awsName('instanceType', 'Overrides launchTemplate.instanceType here.').optional(),
  securityGroupIds: z.array(securityGroupId).optional().meta({ description: 'Overrides launchTemplate.securityGroupIds here.' }),
  tags: tagMap.optional(),
  subnetIds: z.array(text(SUBNET_ID, 'a subnet id: subnet- followed by 8 or 17 hex digits')).optional()
    .meta({ description: 'Subnets of the region\'s Auto Scaling group (autoScaling).' }),
  targetGroupArns: z.array(targetGroupArn).optional()
    .meta({ description: 'Load balancer target groups of this region that the Auto Scaling group registers its instances with.' }),
  adopt: z.strictObject({
    image: amiId.optional().meta({ description: 'An image that already exists in this region: launched as is, no copy is made here.' }),
    launchTemplate: text(/^lt-[0-9a-f]{17}$/, 'a launch template id: lt- followed by 17 hex digits').optional()
      .meta({ description: 'A launch template that already exists in this region: imported (Terraform import block), then managed.' }),
  }).optional().meta({ description: 'Resources made by hand that amifleet takes over instead of creating new ones.' }),
});

const regionsMap = (description: string) => z.record(regionName, RegionSchema.default({}).nullable().transform((r) => r ?? {}))
  .meta({ description });

const AccountSchema = z.strictObject({
  id: accountId.meta({ description: 'The account\'s 12-digit id, quoted: its stacks check at plan that the assumed role is in it.' }),
  roleArn: text(ROLE_ARN, 'an IAM role ARN: arn:<partition>:iam::<account id>:role/<name>').max(2048)
    .meta({ description: 'The role in the account that the provider of its stacks assumes (README: Accounts, for its policy).' }),
  regions: regionsMap('The account\'s regions, the same shape as the top-level regions: each gets a copy owned by the account, encrypted with its key, and a launch template.')
    .refine((r) => Object.keys(r).length > 0, { message: 'must list at least one region' }),
});

const ShareWithSchema = z.strictObject({
  accounts: z.array(accountId).default([]),
  organizationArns: z.array(text(ORGANIZATION_ARN, 'an organization ARN (arn:aws:organizations::<account>:organization/o-...)')).default([]),
  organizationalUnitArns: z.array(text(OU_ARN, 'an organizational unit ARN (arn:aws:organizations::<account>:ou/o-.../ou-...)')).default([]),
  // A boolean would be too easy to flip by accident; the one accepted value says what it does.
  public: z.literal(EVERY_AWS_ACCOUNT).optional()
    .meta({ description: `${EVERY_AWS_ACCOUNT}: any AWS account may launch the copies. Needs copy.encrypted: false.` }),
});

const CopySchema = z.strictObject({
  encrypted: z.boolean().default(true),
  deprecateAfterDays: z.number().int().min(1).max(36500).optional(),
  timeoutMinutes: z.number().int().min(1).max(2880).optional(),
  shareWith: ShareWithSchema.optional(),
}).superRefine((copy, ctx) => {
  // A rejected `encrypted: "no"` is no encryption to object to.
  if (copy.shareWith?.public !== undefined && copy.encrypted === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['shareWith', 'public'],
      message: 'an encrypted image cannot be public (AWS refuses); set copy.encrypted: false to publish an unencrypted image, or share with accounts or organizations',
    });
  }
}, { when: isMap });

const MetadataSchema = z.strictObject({
  httpTokens: z.enum(['required', 'optional']).default('required'),
  hopLimit: z.number().int().min(1).max(64).default(1),
});

const RootVolumeSchema = z.strictObject({
  sizeGiB: z.number().int().min(1).max(65536).optional(),
  type: z.enum(VOLUME_TYPES).optional(),
});

const UserDataSchema = z.strictObject({
  template: z.string().min(1).meta({ description: 'A file under templates/user-data/.' }),
  vars: z.record(z.string(), z.unknown()).default({}),
});

const LaunchTemplateSchema = z.strictObject({
  instanceType: awsName('instanceType', 'EC2 instance type, e.g. t3.micro.'),
  keyName: z.string().min(1).max(255).optional(),
  iamInstanceProfile: text(INSTANCE_PROFILE, 'an instance profile name or ARN').optional(),
  securityGroupIds: z.array(securityGroupId).default([]),
  userData: UserDataSchema.optional(),
  metadata: MetadataSchema.default({ httpTokens: 'required', hopLimit: 1 }),
  rootVolume: RootVolumeSchema.optional(),
});

const PublishSchema = z.strictObject({
  // Reserved prefixes (/aws, /ssm) and depth are the ssm-parameter-name-invalid rule's.
  ssmParameter: text(SSM_PARAMETER_NAME, 'an SSM parameter name starting with /').optional(),
});

const RolloutSchema = z.strictObject({
  waves: z.array(z.array(z.union([regionName, z.literal(EVERY_OTHER_REGION)])).min(1, { message: 'must name at least one region' }))
    .min(1, { message: 'must hold at least one wave' }).optional()
    .meta({ description: `The order in which a new source image reaches the regions; "${EVERY_OTHER_REGION}" in the last wave is every region not named before. Default: one wave of every region.` }),
  promoted: z.number().int().min(0).optional()
    .meta({ description: 'Waves 1..promoted launch source.ami, later waves source.previous[0]; 0 is rolled back everywhere. Default: every wave.' }),
});

const InstanceRefreshSchema = z.strictObject({
  minHealthyPercentage: z.number().int().min(0).max(100).default(90),
  instanceWarmupSeconds: z.number().int().min(0).optional(),
  checkpoints: z.array(z.number().int().min(1).max(100)).optional()
    .meta({ description: 'Percentages of replaced instances at which the refresh pauses, ascending.' }),
  checkpointDelaySeconds: z.number().int().min(0).max(172800).optional(),
  skipMatching: z.boolean().default(true),
  autoRollback: z.boolean().default(true),
  alarms: z.array(z.string().min(1, { message: 'must not be empty (a CloudWatch alarm name)' })
    .max(255, { message: 'must be at most 255 characters long (CloudWatch alarm names are)' }).regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'must not hold control characters (CloudWatch alarm names do not)' }))
    .max(10, { message: 'may name at most 10 alarms (StartInstanceRefresh takes 10)' }).optional()
    .meta({ description: 'CloudWatch alarm names (the same in every region) that stop and roll back a refresh.' }),
}).superRefine((refresh, ctx) => {
  const checkpoints = Array.isArray(refresh.checkpoints) && !rejected(ctx, 'checkpoints') ? refresh.checkpoints : undefined;
  const out = checkpoints?.findIndex((c, i) => i > 0 && c <= checkpoints[i - 1]) ?? -1;
  if (checkpoints && out > 0) {
    ctx.addIssue({
      code: 'custom', path: ['checkpoints', out],
      message: `${checkpoints[out]} follows ${checkpoints[out - 1]}: checkpoints are percentages of the group replaced so far, strictly ascending (AWS refuses others)`,
    });
  }
  // StartInstanceRefresh refuses a CheckpointDelay without CheckpointPercentages.
  if (refresh.checkpointDelaySeconds !== undefined && refresh.checkpoints === undefined) {
    ctx.addIssue({
      code: 'custom', path: ['checkpointDelaySeconds'],
      message: 'a delay after checkpoints, but no checkpoints: AWS refuses to start the refresh (add checkpoints, e.g. [50], or remove checkpointDelaySeconds)',
    });
  }
}, { when: isMap });

const AutoScalingSchema = z.strictObject({
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(0),
  desiredCapacity: z.number().int().min(0).optional()
    .meta({ description: 'Set when the group is created, then left to scaling.' }),
  healthCheckType: z.enum(HEALTH_CHECK_TYPES).default('EC2'),
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(7200).default(300),
  instanceRefresh: InstanceRefreshSchema.default({ minHealthyPercentage: 90, skipMatching: true, autoRollback: true }),
}).superRefine((group, ctx) => {
  const size = (field: 'minSize' | 'maxSize' | 'desiredCapacity') =>
    (typeof group[field] === 'number' && !rejected(ctx, field) ? group[field] : undefined);
  const [min, max, desired] = [size('minSize'), size('maxSize'), size('desiredCapacity')];
  if (min !== undefined && max !== undefined && min > max) {
    ctx.addIssue({ code: 'custom', path: ['minSize'], message: `${min} is above maxSize ${max}: AWS refuses the group (lower minSize or raise maxSize)` });
  } else if (desired !== undefined && ((min !== undefined && desired < min) || (max !== undefined && desired > max))) {
    ctx.addIssue({
      code: 'custom', path: ['desiredCapacity'],
      message: `${desired} is outside minSize..maxSize (${min ?? '?'}..${max ?? '?'}): AWS refuses the group (set it within them, or leave it out to start at minSize)`,
    });
  }
}, { when: isMap }).meta({ description: 'One Auto Scaling group per region on that region\'s launch template; needs regions.<region>.subnetIds.' });

const LocalStateSchema = z.strictObject({ backend: z.literal('local') });
const S3StateSchema = z.strictObject({
  backend: z.literal('s3'),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name' }),
  region: regionName,
  keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]*$/, { message: 'must be an S3 key prefix' }).optional(),
  lockfile: z.boolean().default(true),
});
const CloudStateSchema = z.strictObject({
  backend: z.literal('cloud'),
  organization: z.string().min(1),
  workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]*$/, { message: 'may hold letters, digits, - and _' }).default(''),
  project: z.string().min(1).optional(),
  hostname: z.string().min(1).optional(),
});
const StateSchema = z.discriminatedUnion('backend', [LocalStateSchema, S3StateSchema, CloudStateSchema])
  .superRefine(refuseTemplateSequences);

/**
 * Terraform evaluates nothing in backend and cloud blocks: it takes `${x}` there as those four
 * characters, and `$${x}` too, so neither form can say what it means. Every string setting is
 * checked, except one the schema already refused.
 */
function refuseTemplateSequences(state: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [field, value] of Object.entries(state)) {
    const sequence = typeof value === 'string' ? /[$%]\{/.exec(value)?.[0] : undefined;
    if (sequence === undefined || rejected(ctx, field)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: `must not hold "${sequence}": Terraform evaluates nothing in backend and cloud settings and would use it as written (write the value itself)`,
    });
  }
}

export const FleetSchema = z.strictObject({
  fleet: text(FLEET_NAME, 'a lowercase name: a letter, then up to 30 letters, digits or -')
    .meta({ description: 'Names stacks and resources.' }),
  description: z.string().max(255).optional(),
  tags: tagMap.default({}),
  source: SourceSchema,
  regions: regionsMap('Regions of the account Terraform\'s credentials are in. May be empty or left out when accounts are given.').default({}),
  accounts: z.record(text(FLEET_NAME, 'a lowercase name: a letter, then up to 30 letters, digits or -'), AccountSchema).default({})
    .meta({ description: 'Other AWS accounts that get the fleet, by name (names their stacks): copies owned by each account, made through its role.' }),
  copy: CopySchema.default({ encrypted: true }),
  launchTemplate: LaunchTemplateSchema,
  publish: PublishSchema.optional(),
  rollout: RolloutSchema.optional(),
  autoScaling: AutoScalingSchema.optional(),
  state: StateSchema.default({ backend: 'local' }),
  layout: z.enum(LAYOUTS).default('per-region'),
  suppress: z.record(z.string(), z.string().trim().min(1, { message: 'needs a reason: say why the warning does not apply' }))
    .default({})
    .meta({ description: 'Warnings this fleet accepts, by check id, each with the reason (see README: Checks).' }),
}).superRefine((fleet, ctx) => {
  if (rejected(ctx, 'regions') || rejected(ctx, 'accounts')) return;
  const regions = fleet.regions ?? {};
  const accounts = fleet.accounts ?? {};
  if (Object.keys(regions).length > 0 || Object.keys(accounts).length > 0) return;
  ctx.addIssue({ code: 'custom', path: ['regions'], message: 'must list at least one region (or give accounts, whose regions get the fleet)' });
}, { when: isMap }).meta({ title: 'amifleet fleet', description: 'One fleet: a golden image copied to every region, with a launch template per region.' });

// The fleet's types are written out with their docs in fleet-types.ts; a compile-time test keeps them equal to the schema's.
export type {
  Fleet, FleetInput, FleetSource, FleetSourceInput, ImageLookup, ImageLookupInput, RegionSettings, RegionAdoption,
  AccountSettings, AccountSettingsInput, CopySettings, CopySettingsInput, ShareWith, ShareWithInput,
  LaunchTemplateSettings, LaunchTemplateSettingsInput, MetadataSettings, MetadataSettingsInput, RootVolumeSettings,
  UserDataSettings, UserDataSettingsInput, PublishSettings, RolloutSettings, AutoScalingSettings, AutoScalingSettingsInput,
  InstanceRefreshSettings, InstanceRefreshSettingsInput, StateSettings, StateSettingsInput, LocalState, S3State, S3StateInput,
  CloudState, CloudStateInput, HealthCheckType, Architecture, VolumeType, Layout,
} from './fleet-types';

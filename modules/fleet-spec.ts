import { z } from 'zod';

// The fleet file contract (shared/PRODUCT.md), in one place: the loader validates with it,
// the constructs validate with it, and fleet.schema.json is generated from it.

const FLEET_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ACCOUNT_ID = /^\d{12}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|key\/mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+)$/;
const SSM_PARAMETER_NAME = /^\/[A-Za-z0-9_./-]{1,1010}$/;
const INSTANCE_PROFILE = /^([\w+=,.@-]{1,128}|arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]{1,128})$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

export const ARCHITECTURES = ['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac'] as const;
export const VOLUME_TYPES = ['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export const LAYOUTS = ['per-region', 'single'] as const;
/** The one value of `copy.shareWith.public` that makes copies public: it says who can then launch them. */
export const EVERY_AWS_ACCOUNT = 'every-aws-account';

// A refinement judges fields together (list them in modules/rejected-fields.ts). It runs even
// when another field of its map was rejected (zod skips it then), so its mistake comes out too.
const isMap = (payload: { value: unknown }) => payload.value !== null && typeof payload.value === 'object' && !Array.isArray(payload.value);

const text = (pattern: RegExp, what: string) => z.string().regex(pattern, { message: `must be ${what}` });

/**
 * Fields whose values are AWS's names. Which names exist is AWS knowledge, kept out of the schema:
 * the rules check them (modules/rules), and fleet.schema.json lists them for editors.
 */
export const awsNameFields = z.registry<{ awsName: 'region' | 'instanceType' }>();
const awsName = (awsName: 'region' | 'instanceType', description: string) =>
  z.string().min(1).meta({ description }).register(awsNameFields, { awsName });

export const regionName = awsName('region', 'An AWS region name such as eu-west-1.');
const amiId = text(AMI_ID, 'an AMI id: ami- followed by 8 or 17 hex digits');
const securityGroupId = text(SECURITY_GROUP_ID, 'a security group id: sg- followed by 8 or 17 hex digits');
const accountId = text(ACCOUNT_ID, 'a 12-digit AWS account id, quoted as a string');
const kmsKeyArn = text(KMS_KEY_ARN, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or alias ARN');
const tagMap = z.record(z.string(), z.string()).meta({ description: 'Tag name -> value.' });

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
  kmsKeyId: kmsKeyArn.optional().meta({ description: 'KMS key (in this region) that encrypts this region\'s copy.' }),
  instanceType: awsName('instanceType', 'Overrides launchTemplate.instanceType here.').optional(),
  securityGroupIds: z.array(securityGroupId).optional().meta({ description: 'Overrides launchTemplate.securityGroupIds here.' }),
  tags: tagMap.optional(),
  adopt: z.strictObject({
    image: amiId.optional().meta({ description: 'An image that already exists in this region: launched as is, no copy is made here.' }),
    launchTemplate: text(/^lt-[0-9a-f]{17}$/, 'a launch template id: lt- followed by 17 hex digits').optional()
      .meta({ description: 'A launch template that already exists in this region: imported (Terraform import block), then managed.' }),
  }).optional().meta({ description: 'Resources made by hand that amifleet takes over instead of creating new ones.' }),
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
    if (sequence === undefined || ctx.issues.some((issue) => issue.path?.[0] === field)) continue;
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
  regions: z.record(regionName, RegionSchema.default({}).nullable().transform((r) => r ?? {}))
    .refine((r) => Object.keys(r).length > 0, { message: 'must list at least one region' }),
  copy: CopySchema.default({ encrypted: true }),
  launchTemplate: LaunchTemplateSchema,
  publish: PublishSchema.optional(),
  state: StateSchema.default({ backend: 'local' }),
  layout: z.enum(LAYOUTS).default('per-region'),
  suppress: z.record(z.string(), z.string().trim().min(1, { message: 'needs a reason: say why the warning does not apply' }))
    .default({})
    .meta({ description: 'Warnings this fleet accepts, by check id, each with the reason (see README: Checks).' }),
}).meta({ title: 'amifleet fleet', description: 'One fleet: a golden image copied to every region, with a launch template per region.' });

/** A fleet as written in a fleet file. */
export type FleetInput = z.input<typeof FleetSchema>;
/** A validated fleet with the contract's defaults applied. */
export type Fleet = z.output<typeof FleetSchema>;
export type FleetSource = Fleet['source'];
export type ImageLookup = NonNullable<FleetSource['lookup']>;
export type RegionSettings = Fleet['regions'][string];
export type CopySettings = Fleet['copy'];
export type ShareWith = NonNullable<CopySettings['shareWith']>;
export type LaunchTemplateSettings = Fleet['launchTemplate'];
export type StateSettings = Fleet['state'];
export type Architecture = (typeof ARCHITECTURES)[number];
export type VolumeType = (typeof VOLUME_TYPES)[number];
export type Layout = (typeof LAYOUTS)[number];

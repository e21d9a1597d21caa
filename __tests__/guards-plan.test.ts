import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, workdir } from './support/cli';
import { defaultWorld, startAwsDouble, type AwsDouble, type AwsWorld, type ImageRecord } from './support/aws-double';
import { eachLimited, planStack, terraformCliConfig, type PlanResult } from './support/terraform-cli';

// Every plan-time guard proven by Terraform: a fleet whose plan it stops, with amifleet's message,
// and one that plans. One AWS double answers all of them; its world varies by id and region.

type Json = Record<string, unknown>;

const ACCOUNT = '111122223333';
const kmsKey = (id: string) => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}`;
const KEY_ENABLED = kmsKey('1234abcd-12ab-4cd5-9ef6-1234567890ab');
const KEY_DISABLED = kmsKey('dddddddd-0000-4000-8000-000000000001');
const KEY_PENDING_DELETION = kmsKey('dddddddd-0000-4000-8000-000000000002');
const KEY_MISSING = kmsKey('dddddddd-0000-4000-8000-000000000003');

const PENDING = 'ami-0aa00000000000001';
const FAILED = 'ami-0aa00000000000002';
const VENDOR_CURRENT = 'ami-0aa00000000000007';
const PUBLISHED_ELSEWHERE = 'ami-0bbbbbbbbbbbbbbbb';
const ADOPTED_IMAGE = 'ami-0fedcba9876543210';

/** Images of the source region (us-east-1) that only these cases look for. */
const image = (imageId: string, name: string, more: Partial<ImageRecord> = {}): ImageRecord => ({
  region: 'us-east-1', imageId, name, ownerId: ACCOUNT, architecture: 'x86_64', creationDate: '2026-11-01T00:00:00.000Z', ...more,
});
const BASE = defaultWorld();
const WORLD: AwsWorld = {
  ...BASE,
  images: [
    ...BASE.images,
    image(PENDING, 'golden-web-2026.11.9', { state: 'pending' }),
    image(FAILED, 'golden-web-2026.11.8', { state: 'failed' }),
    // The caller's own images: AWS shows their owner even the deprecated ones.
    image('ami-0aa00000000000003', 'retired-2026.05', { creationDate: '2026-05-01T00:00:00.000Z', deprecationTime: '2026-06-01T00:00:00.000Z' }),
    image('ami-0aa00000000000004', 'retired-2026.04', { creationDate: '2026-04-01T00:00:00.000Z' }),
    image('ami-0aa00000000000005', 'sunset-2026.11', { deprecationTime: '2099-01-01T00:00:00.000Z' }),
    // Another owner's images: AWS leaves the deprecated one out of a lookup.
    image('ami-0aa00000000000006', 'vendor-os-2.0', { ownerId: '137112412989', ownerAlias: 'amazon', public: true, deprecationTime: '2026-06-01T00:00:00.000Z' }),
    image(VENDOR_CURRENT, 'vendor-os-1.0', { ownerId: '137112412989', ownerAlias: 'amazon', public: true, creationDate: '2026-01-01T00:00:00.000Z' }),
    image('ami-0aa00000000000008', 'nightly-2026.11.2', { state: 'pending' }),
    image('ami-0aa00000000000009', 'nightly-2026.11.1', { creationDate: '2026-10-31T00:00:00.000Z' }),
  ],
  instanceTypes: { ...BASE.instanceTypes, 'x2iedn.xlarge': { architectures: ['x86_64'], regions: ['us-east-1'] } },
  kmsKeys: [
    ...BASE.kmsKeys,
    { region: 'eu-west-1', keyId: 'dddddddd-0000-4000-8000-000000000001', accountId: ACCOUNT, state: 'Disabled' },
    { region: 'eu-west-1', keyId: 'dddddddd-0000-4000-8000-000000000002', accountId: ACCOUNT, state: 'PendingDeletion' },
  ],
  ssmParameters: {
    ...BASE.ssmParameters,
    'us-east-1': { ...BASE.ssmParameters['us-east-1'], '/golden/web/pending': PENDING },
    // Another writer put its own image in the parameter amifleet publishes.
    'eu-west-1': { ...BASE.ssmParameters['eu-west-1'], '/amifleet/published/ami-id': PUBLISHED_ELSEWHERE },
  },
  launchTemplates: [
    ...BASE.launchTemplates,
    { region: 'eu-west-1', id: 'lt-0aa00000000000001', name: 'hand-made', latestVersion: 2 },
    { region: 'eu-west-1', id: 'lt-0aa00000000000002', name: 'adopt-same', latestVersion: 2 },
  ],
};

interface GuardCase {
  /** The fleet's name; its one region's stack is `<name>-<region>`. */
  readonly name: string;
  readonly title: string;
  readonly source?: string;
  /** @default 'eu-west-1' */
  readonly region?: string;
  readonly settings?: string;
  /** @default 't3.micro' */
  readonly instanceType?: string;
  readonly more?: string;
  /** The diagnostic the plan stops with (`error: Resource precondition failed: ...`); none: the plan succeeds. */
  readonly stops?: string;
  readonly show?: boolean;
  readonly state?: (stack: Json) => Json;
}

const PINNED = `{ region: us-east-1, ami: ami-0123456789abcdef0 }`;
const lookup = (owners: string, name: string, more = '') => `{ region: us-east-1, lookup: { owners: ${owners}, name: "${name}"${more} } }`;
const precondition = (message: string) => `error: Resource precondition failed: ${message}`;
const postcondition = (message: string) => `error: Resource postcondition failed: ${message}`;
const deprecatedLookup = (fleet: string) => postcondition(`amifleet fleet ${fleet}, source image: the image the lookup found is deprecated. `
  + 'Fix: point source.lookup at a current image, or set source.lookup.includeDeprecated: true to accept it.');
const notAvailable = (fleet: string) => postcondition(`amifleet fleet ${fleet}, source image: the source image is not available (its state is not "available"). `
  + 'Fix: wait for it, or point source at an available image.');
const kmsNotEnabled = (fleet: string, key: string) => precondition(`amifleet fleet ${fleet}, region eu-west-1: KMS key ${key} is not enabled. `
  + `Fix: enable the key in eu-west-1, or set regions.eu-west-1.kmsKeyId to an enabled key of that region.`);

/** The published parameter as amifleet left it: holding the adopted image, before another writer changed it. */
function publishedState(stack: Json): Json {
  const name = Object.keys((stack.resource as Record<string, Json>).aws_ssm_parameter)[0];
  return {
    version: 4, terraform_version: '1.11.4', serial: 1, lineage: '0f6a8f7e-1d2b-4c3d-8e9f-a0b1c2d3e4f5', outputs: {},
    resources: [{
      mode: 'managed', type: 'aws_ssm_parameter', name, provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: {
        id: '/amifleet/published/ami-id', name: '/amifleet/published/ami-id', type: 'String', data_type: 'aws:ec2:image', tier: 'Standard',
        insecure_value: ADOPTED_IMAGE, version: 1, arn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/amifleet/published/ami-id`,
      } }],
    }],
  };
}

const CASES: GuardCase[] = [
  {
    name: 'offered-no', title: 'instance type offered: stops a type the region does not offer', instanceType: 'x2iedn.xlarge',
    stops: precondition('amifleet fleet offered-no, region eu-west-1: instance type x2iedn.xlarge is not offered in eu-west-1. '
      + 'Fix: set regions.eu-west-1.instanceType to a type offered there (aws ec2 describe-instance-type-offerings --region eu-west-1).'),
  },
  { name: 'offered-yes', title: 'instance type offered: passes the same type where it is offered', region: 'us-east-1', instanceType: 'x2iedn.xlarge' },
  {
    name: 'arch-no', title: 'instance type architecture: stops a Graviton type for a pinned x86_64 image', instanceType: 'c7g.large',
    stops: precondition('amifleet fleet arch-no, region eu-west-1: instance type c7g.large cannot run the source image\'s architecture (or is not offered here). '
      + 'Fix: choose an instance type of the image\'s architecture (x86_64: e.g. m7i, c7i, t3; arm64: e.g. m7g, c7g, t4g) for regions.eu-west-1.instanceType or launchTemplate.instanceType.'),
  },
  { name: 'arch-yes', title: 'instance type architecture: passes a Graviton type for a pinned arm64 image', source: '{ region: us-east-1, ami: ami-0abcdef1234567890 }', instanceType: 'c7g.large' },
  { name: 'kms-disabled', title: 'KMS key enabled: stops a disabled key', settings: `{ kmsKeyId: "${KEY_DISABLED}" }`, stops: kmsNotEnabled('kms-disabled', KEY_DISABLED) },
  {
    name: 'kms-deleting', title: 'KMS key enabled: stops a key pending deletion', settings: `{ kmsKeyId: "${KEY_PENDING_DELETION}" }`,
    stops: kmsNotEnabled('kms-deleting', KEY_PENDING_DELETION),
  },
  { name: 'kms-enabled', title: 'KMS key enabled: passes an enabled key', settings: `{ kmsKeyId: "${KEY_ENABLED}" }` },
  {
    name: 'kms-missing', title: 'KMS key enabled: a key that does not exist fails the provider\'s read of it, before any guard',
    settings: `{ kmsKeyId: "${KEY_MISSING}" }`, stops: `error: reading KMS Key (${KEY_MISSING}): couldn't find resource: `,
  },
  { name: 'pinned-pending', title: 'source image usable: stops a pinned image still pending', source: `{ region: us-east-1, ami: ${PENDING} }`, stops: notAvailable('pinned-pending') },
  { name: 'pinned-failed', title: 'source image usable: stops a pinned image that failed', source: `{ region: us-east-1, ami: ${FAILED} }`, stops: notAvailable('pinned-failed') },
  { name: 'pinned-ok', title: 'source image usable: passes a pinned available image', source: PINNED },
  {
    name: 'ssm-pending', title: 'source image usable: stops an SSM parameter naming a pending image',
    source: '{ region: us-east-1, ssmParameter: /golden/web/pending }', stops: notAvailable('ssm-pending'),
  },
  {
    name: 'lookup-pending', title: 'source image usable: stops a lookup whose own state filter lets a pending image through',
    source: lookup('[self]', 'nightly-*', ', filters: { state: [available, pending] }'), stops: notAvailable('lookup-pending'),
  },
  {
    name: 'lookup-available', title: 'source image usable: a lookup without a state filter skips the pending image and passes',
    source: lookup('[self]', 'nightly-*'), show: true,
  },
  { name: 'dep-self', title: 'deprecated lookup: stops the newest of the caller\'s own images when it is deprecated', source: lookup('[self]', 'retired-*'), stops: deprecatedLookup('dep-self') },
  { name: 'dep-account', title: 'deprecated lookup: stops it too when owners names the caller\'s account id', source: lookup(`["${ACCOUNT}"]`, 'retired-*'), stops: deprecatedLookup('dep-account') },
  { name: 'dep-accepted', title: 'deprecated lookup: passes it with includeDeprecated: true', source: lookup('[self]', 'retired-*', ', includeDeprecated: true') },
  { name: 'dep-future', title: 'deprecated lookup: passes an image deprecated only in the future', source: lookup('[self]', 'sunset-*') },
  {
    name: 'dep-amazon', title: 'deprecated lookup: another owner\'s deprecated image is left out by AWS, so the lookup takes the newest current one',
    source: lookup('[amazon]', 'vendor-os-*'), show: true,
  },
  {
    name: 'adopt-other', title: 'adopted template name: stops a template with another name', settings: '{ adopt: { launchTemplate: lt-0aa00000000000001 } }',
    stops: precondition('amifleet fleet adopt-other, region eu-west-1: adopted launch template lt-0aa00000000000001 has another name than amifleet gives it, so Terraform would replace it. '
      + 'Fix: rename the fleet (or the module\'s name_prefix) to the template\'s name, or drop regions.eu-west-1.adopt.launchTemplate.'),
  },
  { name: 'adopt-same', title: 'adopted template name: passes a template named as amifleet names it', settings: '{ adopt: { launchTemplate: lt-0aa00000000000002 } }' },
  {
    name: 'published', title: 'published parameter: another writer\'s value is drift the plan puts back, no guard needed',
    settings: `{ adopt: { image: ${ADOPTED_IMAGE} } }`, more: 'publish: { ssmParameter: /amifleet/published/ami-id }\n', show: true, state: publishedState,
  },
];

function fleetFile(c: GuardCase): string {
  return `fleet: ${c.name}\nsource: ${c.source ?? PINNED}\nregions:\n  ${c.region ?? 'eu-west-1'}: ${c.settings ?? '{}'}\n`
    + `launchTemplate: { instanceType: ${c.instanceType ?? 't3.micro'} }\n${c.more ?? ''}`;
}

/** A planned resource's change, from `terraform show -json`. */
function plannedChange(plan: PlanResult, type: string): { actions: string[]; before: Json | null; after: Json } {
  const change = plan.plan?.resource_changes?.find((c) => c.address.startsWith(`${type}.`))?.change;
  if (!change) throw new Error(`no planned ${type} in ${JSON.stringify(plan.changes)}`);
  return change as { actions: string[]; before: Json | null; after: Json };
}

describe('plan-time guards, each made to fire and to pass by a real plan', () => {
  let double: AwsDouble;
  const plans: Record<string, PlanResult> = {};

  beforeAll(async () => {
    terraformCliConfig();
    const project = workdir(Object.fromEntries(CASES.map((c) => [join('fleets', `${c.name}.yaml`), fleetFile(c)])));
    const synth = amifleet(['synth', 'fleets'], project);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    double = await startAwsDouble(WORLD);
    await eachLimited(CASES, 2, async (c) => {
      const stack = JSON.parse(readFileSync(join(project, 'cdktf.out', manifest.stacks[`${c.name}-${c.region ?? 'eu-west-1'}`].synthesizedStackPath), 'utf8')) as Json;
      plans[c.name] = await planStack(stack, double.endpoint, { state: c.state?.(stack), show: c.show });
    });
  }, 1_200_000);

  afterAll(() => double?.close());

  it.each(CASES.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const plan = plans[c.name];
    if (c.stops === undefined) {
      expect([plan.code, plan.diagnostics]).toEqual([0, []]);
    } else {
      expect(plan.code).toBe(1);
      expect(plan.diagnostics).toContain(c.stops);
    }
  });

  it('stops on amifleet\'s own messages only: the worlds hold everything else each plan reads', () => {
    for (const c of CASES.filter((k) => k.stops !== undefined && k.name !== 'kms-missing')) {
      for (const d of plans[c.name].diagnostics) expect([c.name, d]).toEqual([c.name, expect.stringMatching(new RegExp(`^error: Resource (pre|post)condition failed: amifleet fleet ${c.name}, `))]);
    }
  });

  it('copies the lookup\'s newest current image, past a deprecated one of another owner and a pending one of the caller', () => {
    expect(plannedChange(plans['dep-amazon'], 'aws_ami_copy').after.source_ami_id).toBe(VENDOR_CURRENT);
    expect(plannedChange(plans['lookup-available'], 'aws_ami_copy').after.source_ami_id).toBe('ami-0aa00000000000009');
  });

  it('puts the region\'s image back into a published parameter another writer changed', () => {
    const change = plannedChange(plans.published, 'aws_ssm_parameter');
    expect(change.actions).toEqual(['update']);
    expect([change.before?.insecure_value, change.after.insecure_value]).toEqual([PUBLISHED_ELSEWHERE, ADOPTED_IMAGE]);
  });

  it('the plans asked AWS for nothing the double does not answer', () => {
    expect(double.calls.filter((c) => c.unsupported)).toEqual([]);
  });
});

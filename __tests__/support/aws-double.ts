import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for the AWS APIs the hashicorp/aws provider calls while planning amifleet's
// stacks, on 127.0.0.1 only. What it answers is data (an `AwsWorld`), so a test can make a
// guard fire: a region that does not offer an instance type, a disabled key, a deprecated image.
// Every call is recorded; a call it does not know is answered with an error and recorded as
// unsupported, so a test can say that a plan asked for nothing unexpected.

export interface ImageRecord {
  readonly region: string;
  readonly imageId: string;
  readonly name: string;
  readonly ownerId: string;
  /** `amazon` for Amazon's public images. */
  readonly ownerAlias?: string;
  readonly architecture: string;
  /** @default 'available' */
  readonly state?: string;
  readonly creationDate: string;
  /** ISO time; a time in the past makes the image deprecated. */
  readonly deprecationTime?: string;
  readonly virtualizationType?: string;
  readonly rootDeviceName?: string;
  /** EBS snapshots by device name. @default { '/dev/xvda': a snapshot } */
  readonly snapshots?: Record<string, string>;
  /** Whether its snapshots are encrypted. @default false */
  readonly encrypted?: boolean;
  /** The ARN of the KMS key its encrypted snapshots are on (DescribeSnapshots' KmsKeyId). @default - none given */
  readonly kmsKeyId?: string;
  readonly public?: boolean;
  /** Other accounts that may launch it (and so see it in DescribeImages): its launch permissions. @default none */
  readonly launchPermissions?: readonly string[];
}

export interface KmsKeyRecord {
  readonly region: string;
  readonly keyId: string;
  readonly accountId: string;
  /** @default 'Enabled' */
  readonly state?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  /** AWS: an AWS managed key (`aws/ebs`), which cannot be shared with other accounts. @default 'CUSTOMER' */
  readonly keyManager?: 'CUSTOMER' | 'AWS';
}

export interface LaunchTemplateRecord {
  readonly region: string;
  readonly id: string;
  readonly name: string;
  readonly latestVersion: number;
}

export interface AwsWorld {
  /** The account of the credentials (STS GetCallerIdentity, `self`). */
  readonly accountId: string;
  readonly images: readonly ImageRecord[];
  /** Instance types by name: what they run, and where they are offered (every region when left out). */
  readonly instanceTypes: Readonly<Record<string, { readonly architectures: readonly string[]; readonly regions?: readonly string[] }>>;
  readonly kmsKeys: readonly KmsKeyRecord[];
  /** SSM parameters by region, then name: the value. */
  readonly ssmParameters: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly launchTemplates: readonly LaunchTemplateRecord[];
  /**
   * The account STS AssumeRole puts a session of each role in. @default - the account of the role's ARN
   * (a test can say otherwise, e.g. a role that lands in another account than its entry's id)
   */
  readonly roleAccounts?: Readonly<Record<string, string>>;
}

export interface AwsCall {
  readonly service: string;
  readonly region: string;
  readonly action: string;
  /** The caller's account: the credentials' own, or an assumed role's. */
  readonly account: string;
  readonly unsupported?: boolean;
}

export interface AwsDouble {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints`. */
  readonly endpoint: string;
  readonly calls: AwsCall[];
  /** The world it answers from; tests may replace parts of it between plans. */
  world: AwsWorld;
  close(): Promise<void>;
}

/** A world in which the bundled example and the fixtures plan: Amazon Linux 2023 everywhere, keys enabled. */
export function defaultWorld(overrides: Partial<AwsWorld> = {}): AwsWorld {
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'eu-north-1', 'ap-southeast-2'];
  const images: ImageRecord[] = regions.flatMap((region) => [
    { region, imageId: 'ami-0123456789abcdef0', name: 'golden-web-2026.11.1', ownerId: '111122223333', architecture: 'x86_64', creationDate: '2026-11-01T00:00:00.000Z' },
    { region, imageId: 'ami-0aaaaaaaaaaaaaaaa', name: 'golden-web-2026.11.2', ownerId: '111122223333', architecture: 'x86_64', creationDate: '2026-11-02T00:00:00.000Z' },
    { region, imageId: 'ami-0bbbbbbbbbbbbbbbb', name: 'golden-web-2026.10.1', ownerId: '111122223333', architecture: 'x86_64', creationDate: '2026-10-01T00:00:00.000Z' },
    // The day-two fixture's pipeline image, for Graviton.
    { region, imageId: 'ami-0abcdef1234567890', name: 'golden-api-2026.11.1', ownerId: '111122223333', architecture: 'arm64', creationDate: '2026-11-01T00:00:00.000Z' },
    { region, imageId: 'ami-0fedcba9876543210', name: 'hand-made-web', ownerId: '111122223333', architecture: 'x86_64', creationDate: '2025-01-01T00:00:00.000Z' },
    { region, imageId: 'ami-0c1c2c3c4c5c6c7c8', name: 'al2023-ami-2023.6.20261101.0-kernel-6.1-x86_64', ownerId: '137112412989', ownerAlias: 'amazon',
      architecture: 'x86_64', creationDate: '2026-11-01T00:00:00.000Z', public: true },
    { region, imageId: 'ami-0d1d2d3d4d5d6d7d8', name: 'al2023-ami-2023.6.20261101.0-kernel-6.1-arm64', ownerId: '137112412989', ownerAlias: 'amazon',
      architecture: 'arm64', creationDate: '2026-11-01T00:00:00.000Z', public: true },
  ]);
  const x86 = { architectures: ['x86_64'] };
  const arm = { architectures: ['arm64'] };
  return {
    accountId: '111122223333',
    images,
    instanceTypes: {
      't3.micro': x86, 't3.small': x86, 'm7i.large': x86, 'm7i.xlarge': x86, 'c7i.large': x86, 'm5.large': x86,
      't4g.small': arm, 'c7g.large': arm, 'm7g.large': arm,
    },
    kmsKeys: regions.flatMap((region) => [
      { region, keyId: '1234abcd-12ab-4cd5-9ef6-1234567890ab', accountId: '111122223333' },
      { region, keyId: '0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0', accountId: '111122223333' },
      { region, keyId: '9f8e7d6c-5b4a-3928-a706-f5e4d3c2b1a0', accountId: '111122223333' },
    ]),
    ssmParameters: Object.fromEntries(regions.map((r) => [r, {
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64': 'ami-0c1c2c3c4c5c6c7c8',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64': 'ami-0d1d2d3d4d5d6d7d8',
    }])),
    // The launch templates the adopt fixture takes over, named as amifleet names them.
    launchTemplates: [
      { region: 'us-east-1', id: 'lt-0123456789abcdef0', name: 'legacy', latestVersion: 3 },
      { region: 'eu-west-1', id: 'lt-0fedcba9876543210', name: 'legacy', latestVersion: 7 },
    ],
    ...overrides,
  };
}

/** Starts the double on 127.0.0.1 (a free port). Close it when done; it holds nothing else open. */
export async function startAwsDouble(world: AwsWorld = defaultWorld()): Promise<AwsDouble> {
  const calls: AwsCall[] = [];
  const double = { world, calls } as AwsDouble;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      try {
        answer(double, req, body, res);
      } catch (e) {
        send(res, 500, 'text/plain', String((e as Error).stack));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}

/** Service, region and access key id from the request's SigV4 credential scope: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
function scopeOf(req: IncomingMessage): { service: string; region: string; accessKeyId: string } {
  const m = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
  return { accessKeyId: m?.[1] ?? '', region: m?.[2] ?? '', service: m?.[3] ?? '' };
}

/** The access key id of a session AssumeRole hands out: it names the session's account, so later calls know their caller. */
const SESSION_KEY = /^ASIA(\d{12})$/;

/**
 * The world as one caller sees it: `accountId` is the caller's (the credentials' own account for
 * the tests' static keys, or the account of the assumed role whose session key signed the
 * request), and `callerArn` its ARN (a session's is in its token, which AssumeRole made of it).
 */
function worldOf(world: AwsWorld, req: IncomingMessage, accessKeyId: string): AwsWorld & { callerArn: string } {
  const account = SESSION_KEY.exec(accessKeyId)?.[1];
  if (account === undefined) return { ...world, callerArn: `arn:aws:iam::${world.accountId}:user/amifleet-test` };
  const token = String(req.headers['x-amz-security-token'] ?? '');
  return { ...world, accountId: account, callerArn: Buffer.from(token, 'base64url').toString('utf8') };
}

function answer(double: AwsDouble, req: IncomingMessage, body: string, res: ServerResponse): void {
  const { service, region, accessKeyId } = scopeOf(req);
  const world = worldOf(double.world, req, accessKeyId);
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target) {
    const action = target.split('.').pop() as string;
    const handler = (JSON_ACTIONS[service] ?? {})[action] as JsonHandler | undefined;
    double.calls.push({ service, region, action, account: world.accountId, ...(handler ? {} : { unsupported: true }) });
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    const [status, output] = handler ? handler(world, region, input) : [400, { __type: 'UnsupportedOperation', message: `the AWS double does not answer ${service} ${action}` }];
    send(res, status, 'application/x-amz-json-1.1', JSON.stringify(output));
    return;
  }
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  const handler = (QUERY_ACTIONS[service] ?? {})[action] as QueryHandler | undefined;
  double.calls.push({ service, region, action, account: world.accountId, ...(handler ? {} : { unsupported: true }) });
  if (!handler) {
    send(res, 400, 'text/xml', queryError('UnsupportedOperation', `the AWS double does not answer ${service} ${action}`));
    return;
  }
  const [status, xml] = handler(world, region, params);
  send(res, status, 'text/xml', xml);
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

type QueryHandler = (world: AwsWorld, region: string, params: URLSearchParams) => [number, string];
type JsonHandler = (world: AwsWorld, region: string, input: Record<string, unknown>) => [number, unknown];

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const QUERY_ACTIONS: Record<string, Record<string, QueryHandler>> = {
  ec2: {
    DescribeImages: (world, region, params) => {
      const ids = list(params, 'ImageId');
      const owners = list(params, 'Owner');
      const includeDeprecated = params.get('IncludeDeprecated') === 'true';
      const now = Date.now();
      const found = world.images.filter((i) => i.region === region
        && (ids.length === 0 || ids.includes(i.imageId))
        // A caller sees its own images, public ones, and those whose launch permissions name it.
        && (i.ownerId === world.accountId || i.public === true || (i.launchPermissions ?? []).includes(world.accountId))
        && (owners.length === 0 || owners.some((o) => o === i.ownerId || o === i.ownerAlias || (o === 'self' && i.ownerId === world.accountId)))
        // AWS leaves deprecated images out unless asked, except those asked for by ImageId and the caller's own (ami-deprecate.html).
        && (includeDeprecated || ids.length > 0 || i.ownerId === world.accountId || i.deprecationTime === undefined || Date.parse(i.deprecationTime) > now)
        && filters(params).every(({ name, values }) => values.some((v) => matches(imageField(i, name), v))));
      return [200, ec2Response('DescribeImages', `<imagesSet>${found.map(imageXml).join('')}</imagesSet>`)];
    },
    // An image's snapshots, owned by the image's owner: the provider checks a snapshot's owner before sharing it.
    DescribeSnapshots: (world, region, params) => {
      const ids = list(params, 'SnapshotId');
      const found = world.images.filter((i) => i.region === region)
        .flatMap((i) => Object.values(snapshotsOf(i)).map((snapshotId) => ({ snapshotId, image: i })))
        .filter((s) => ids.length === 0 || ids.includes(s.snapshotId));
      const missing = ids.find((id) => !found.some((s) => s.snapshotId === id));
      if (missing) return [400, queryError('InvalidSnapshot.NotFound', `The snapshot '${missing}' does not exist.`)];
      return [200, ec2Response('DescribeSnapshots', `<snapshotSet>${found.map(({ snapshotId, image }) => `<item><snapshotId>${snapshotId}</snapshotId>`
        + `<volumeId>vol-ffffffff</volumeId><status>completed</status><startTime>${image.creationDate}</startTime><progress>100%</progress>`
        + `<ownerId>${image.ownerId}</ownerId><volumeSize>8</volumeSize><description>${xml(image.name)}</description>`
        + `<encrypted>${image.encrypted ?? false}</encrypted>${image.kmsKeyId ? `<kmsKeyId>${image.kmsKeyId}</kmsKeyId>` : ''}`
        + '<storageTier>standard</storageTier></item>').join('')}</snapshotSet>`)];
    },
    // data.aws_ami reads the image's UEFI variable store; amifleet's images have none.
    GetInstanceUefiData: () => [200, ec2Response('GetInstanceUefiData', '<uefiData></uefiData>')],
    DescribeInstanceTypeOfferings: (world, region, params) => {
      const wanted = filters(params).find((f) => f.name === 'instance-type')?.values;
      const offered = Object.entries(world.instanceTypes)
        .filter(([type, t]) => (t.regions === undefined || t.regions.includes(region)) && (wanted === undefined || wanted.some((w) => matches(type, w))));
      return [200, ec2Response('DescribeInstanceTypeOfferings', `<instanceTypeOfferingSet>${offered.map(([type]) =>
        `<item><instanceType>${type}</instanceType><locationType>region</locationType><location>${region}</location></item>`).join('')}</instanceTypeOfferingSet>`)];
    },
    DescribeInstanceTypes: (world, region, params) => {
      const named = list(params, 'InstanceType');
      const found = Object.entries(world.instanceTypes)
        .filter(([type, t]) => (t.regions === undefined || t.regions.includes(region)) && (named.length === 0 || named.includes(type))
          && filters(params).every(({ name, values }) => values.some((v) => (name === 'instance-type' ? matches(type, v)
            : name === 'processor-info.supported-architecture' ? t.architectures.includes(v) : false))));
      return [200, ec2Response('DescribeInstanceTypes', `<instanceTypeSet>${found.map(([type, t]) =>
        `<item><instanceType>${type}</instanceType><processorInfo><supportedArchitectures>${t.architectures.map((a) => `<item>${a}</item>`).join('')}</supportedArchitectures></processorInfo></item>`).join('')}</instanceTypeSet>`)];
    },
    DescribeLaunchTemplates: (world, region, params) => {
      const ids = list(params, 'LaunchTemplateId');
      const names = list(params, 'LaunchTemplateName');
      const found = world.launchTemplates.filter((t) => t.region === region && (ids.length === 0 || ids.includes(t.id)) && (names.length === 0 || names.includes(t.name)));
      if (found.length === 0 && ids.length > 0) {
        return [400, queryError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${ids[0]}, does not exist.`)];
      }
      return [200, ec2Response('DescribeLaunchTemplates', `<launchTemplates>${found.map((t) =>
        `<item><launchTemplateId>${t.id}</launchTemplateId><launchTemplateName>${xml(t.name)}</launchTemplateName><defaultVersionNumber>${t.latestVersion}</defaultVersionNumber><latestVersionNumber>${t.latestVersion}</latestVersionNumber><createTime>2026-01-01T00:00:00.000Z</createTime></item>`).join('')}</launchTemplates>`)];
    },
    DescribeLaunchTemplateVersions: (world, region, params) => {
      const id = params.get('LaunchTemplateId');
      const found = world.launchTemplates.filter((t) => t.region === region && t.id === id);
      return [200, ec2Response('DescribeLaunchTemplateVersions', `<launchTemplateVersionSet>${found.map((t) =>
        `<item><launchTemplateId>${t.id}</launchTemplateId><launchTemplateName>${xml(t.name)}</launchTemplateName><versionNumber>${t.latestVersion}</versionNumber><defaultVersion>true</defaultVersion><launchTemplateData><instanceType>t3.micro</instanceType></launchTemplateData></item>`).join('')}</launchTemplateVersionSet>`)];
    },
  },
  sts: {
    // A session of an assumed role is `assumed-role/<role>/<session>` in the role's account; the static keys are a user of the world's.
    GetCallerIdentity: (world) => {
      const arn = (world as AwsWorld & { callerArn?: string }).callerArn ?? `arn:aws:iam::${world.accountId}:user/amifleet-test`;
      return [200, `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>`
        + `<Arn>${xml(arn)}</Arn><UserId>AIDAAMIFLEETTEST</UserId><Account>${world.accountId}</Account>`
        + `</GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`];
    },
    // Credentials whose access key id names the role's account (`roleAccounts`, else its ARN's): what later calls are signed with.
    AssumeRole: (world, _region, params) => {
      const roleArn = params.get('RoleArn') ?? '';
      const session = params.get('RoleSessionName') ?? '';
      const account = world.roleAccounts?.[roleArn] ?? /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
      if (account === undefined) return [400, queryError('AccessDenied', `the AWS double cannot assume ${roleArn}`)];
      const role = roleArn.split('/').pop() as string;
      const assumed = `arn:aws:sts::${account}:assumed-role/${role}/${session}`;
      return [200, `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials>`
        + `<AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>amifleet-test</SecretAccessKey><SessionToken>${Buffer.from(assumed, 'utf8').toString('base64url')}</SessionToken>`
        + `<Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials>`
        + `<AssumedRoleUser><AssumedRoleId>AROAAMIFLEETTEST:${xml(session)}</AssumedRoleId><Arn>${xml(assumed)}</Arn></AssumedRoleUser>`
        + `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`];
    },
  },
};

const JSON_ACTIONS: Record<string, Record<string, JsonHandler>> = {
  kms: {
    DescribeKey: (world, region, input) => {
      const asked = String(input.KeyId ?? '');
      const key = world.kmsKeys.find((k) => k.region === region && (asked === k.keyId || asked === kmsArn(k)));
      if (!key) return [400, { __type: 'NotFoundException', message: `Key '${asked}' does not exist` }];
      const state = key.state ?? 'Enabled';
      return [200, {
        KeyMetadata: {
          AWSAccountId: key.accountId, KeyId: key.keyId, Arn: kmsArn(key), CreationDate: 1767225600, Enabled: state === 'Enabled',
          Description: '', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: state, Origin: 'AWS_KMS', KeyManager: key.keyManager ?? 'CUSTOMER',
          CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
          ...(state === 'PendingDeletion' ? { DeletionDate: 1798761600 } : {}),
        },
      }];
    },
  },
  ssm: {
    GetParameter: (world, region, input) => {
      const name = String(input.Name ?? '');
      const value = world.ssmParameters[region]?.[name];
      if (value === undefined) return [400, { __type: 'ParameterNotFound', message: '' }];
      return [200, {
        Parameter: {
          Name: name, Type: 'String', Value: value, Version: 1, DataType: 'aws:ec2:image', LastModifiedDate: 1767225600,
          ARN: parameterArn(world, region, name),
        },
      }];
    },
    // aws_ssm_parameter's refresh reads the parameter's metadata, then its tags.
    DescribeParameters: (world, region, input) => {
      const wanted = ((input.ParameterFilters ?? []) as { Key: string; Values: string[] }[]).find((f) => f.Key === 'Name')?.Values ?? [];
      const names = Object.keys(world.ssmParameters[region] ?? {}).filter((n) => wanted.length === 0 || wanted.includes(n));
      return [200, { Parameters: names.map((name) => ({
        Name: name, Type: 'String', DataType: 'aws:ec2:image', Tier: 'Standard', Version: 1, LastModifiedDate: 1767225600, ARN: parameterArn(world, region, name),
      })) }];
    },
    ListTagsForResource: () => [200, { TagList: [] }],
  },
};

function parameterArn(world: AwsWorld, region: string, name: string): string {
  return `arn:aws:ssm:${region}:${world.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

function kmsArn(key: KmsKeyRecord): string {
  return `arn:aws:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
}

/** `Name.1`, `Name.2`, ... of a query request. */
function list(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i++) out.push(params.get(`${name}.${i}`) as string);
  return out;
}

function filters(params: URLSearchParams): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) out.push({ name: params.get(`Filter.${i}.Name`) as string, values: list(params, `Filter.${i}.Value`) });
  return out;
}

/** EC2's filter values: `*` any run of characters, `?` one. */
function matches(value: string | undefined, pattern: string): boolean {
  if (value === undefined) return false;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

function imageField(image: ImageRecord, filter: string): string | undefined {
  const fields: Record<string, string | undefined> = {
    'image-id': image.imageId, name: image.name, architecture: image.architecture, state: image.state ?? 'available',
    'virtualization-type': image.virtualizationType ?? 'hvm', 'owner-id': image.ownerId, 'owner-alias': image.ownerAlias,
    'root-device-type': 'ebs', 'image-type': 'machine', 'is-public': String(image.public ?? false),
  };
  return fields[filter];
}

function snapshotsOf(image: ImageRecord): Record<string, string> {
  return image.snapshots ?? { [image.rootDeviceName ?? '/dev/xvda']: `snap-${image.imageId.slice(4).padEnd(17, '0').slice(0, 17)}` };
}

function imageXml(i: ImageRecord): string {
  const devices = Object.entries(snapshotsOf(i)).map(([device, snapshot]) => `<item><deviceName>${device}</deviceName><ebs><snapshotId>${snapshot}</snapshotId>`
    + '<volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType><iops>3000</iops><throughput>125</throughput>'
    + `<encrypted>${i.encrypted ?? false}</encrypted></ebs></item>`).join('');
  return `<item><imageId>${i.imageId}</imageId><imageLocation>${i.ownerAlias ?? i.ownerId}/${xml(i.name)}</imageLocation>`
    + `<imageState>${i.state ?? 'available'}</imageState><imageOwnerId>${i.ownerId}</imageOwnerId><creationDate>${i.creationDate}</creationDate>`
    + `<isPublic>${i.public ?? false}</isPublic><architecture>${i.architecture}</architecture><imageType>machine</imageType>`
    + `<name>${xml(i.name)}</name><description>${xml(i.name)}</description>${i.ownerAlias ? `<imageOwnerAlias>${i.ownerAlias}</imageOwnerAlias>` : ''}`
    + `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>${i.rootDeviceName ?? '/dev/xvda'}</rootDeviceName><blockDeviceMapping>${devices}</blockDeviceMapping>`
    + `<virtualizationType>${i.virtualizationType ?? 'hvm'}</virtualizationType><hypervisor>xen</hypervisor><enaSupport>true</enaSupport>`
    + '<sriovNetSupport>simple</sriovNetSupport><bootMode>uefi-preferred</bootMode><platformDetails>Linux/UNIX</platformDetails>'
    + `<usageOperation>RunInstances</usageOperation><imdsSupport>v2.0</imdsSupport>${i.deprecationTime ? `<deprecationTime>${i.deprecationTime}</deprecationTime>` : ''}`
    + '<tagSet/></item>';
}

function ec2Response(action: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`;
}

function queryError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { awsRegion } from '../modules/fleet/aws-catalog';
import { fleetAccountViews } from '../modules/fleet/fleet-accounts';
import { FleetSchema, type FleetInput } from '../modules/fleet/fleet-spec';
import { validateFleet, validationErrors } from '../modules/fleet/fleet-validation';
import { ruleViews } from '../modules/fleet/rules/account-rule-views';
import { amifleet } from './support/cli';

// The checks of accounts (README: Validation, Accounts); each case with its position is also a
// fixture in __tests__/fixtures/invalid/accounts-*.yaml.

const FACTORY = join(__dirname, 'fixtures', 'accounts', 'factory.yaml');
const INVALID = join(__dirname, 'fixtures', 'invalid');
const AMI = 'ami-0aaaaaaaaaaaaaaaa';
const ROLE = (id: string, partition = 'aws') => `arn:${partition}:iam::${id}:role/amifleet-deploy`;
const SUBNET = 'subnet-4a1b2c3d4e5f60718';
const TARGET_GROUP = (account: string) => `arn:aws:elasticloadbalancing:us-east-1:${account}:targetgroup/shop/0123456789abcdef`;

type Regions = NonNullable<FleetInput['regions']>;

/** An account entry whose role is in its account. */
function account(id: string, regions: Regions = { 'us-east-1': {} }) {
  return { id, roleArn: ROLE(id), regions };
}

/** A pinned fleet with the accounts given and no top-level regions unless given. */
function shop(overrides: Partial<FleetInput> = {}): FleetInput {
  return {
    fleet: 'shop',
    source: { region: 'us-east-1', ami: AMI },
    launchTemplate: { instanceType: 't3.micro' },
    accounts: { prod: account('444455556666'), staging: account('777788889999') },
    ...overrides,
  };
}

/** What `amifleet validate` prints for a fleet written as YAML, without the file name. */
function printed(fleet: FleetInput | Record<string, unknown>): string[] {
  return parseFleetText('shop.yaml', stringify(fleet)).diagnostics.map((d) => formatDiagnostic(d).replace(/^shop\.yaml:/, ''));
}

/** Path, message (and fix) of each finding, without positions; warnings end with their check id. */
function found(fleet: FleetInput | Record<string, unknown>): string[] {
  return parseFleetText('shop.yaml', JSON.stringify(fleet)).diagnostics
    .map((d) => `${d.path}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}${d.severity === 'warning' ? ` [${d.rule}]` : ''}`);
}

describe('the accounts fixture (__tests__/fixtures/accounts/factory.yaml)', () => {
  it('validates with no error and no warning', () => {
    const r = amifleet(['validate', '--strict', FACTORY]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '1 fleet valid\n', '']);
  });

  it('gives the rules each account as the contract builds its stacks (modules/fleet/fleet-accounts.ts)', () => {
    const fleet = FleetSchema.parse(parse(readFileSync(FACTORY, 'utf8')));
    const views = ruleViews(fleet);
    expect(views.map((v) => v.account)).toEqual([undefined, 'prod', 'staging']);
    const contract = fleetAccountViews(fleet).filter((v) => v.account !== undefined);
    expect(views.slice(1).map((v) => ({ account: v.account, regionsPath: v.regionsPath, fleet: JSON.parse(JSON.stringify(v.fleet)) })))
      .toEqual(contract.map((v) => ({ account: v.account, regionsPath: v.regionsPath, fleet: JSON.parse(JSON.stringify(v.fleet)) })));
  });
});

describe('every region-level check covers account regions', () => {
  // Each invalid fixture whose errors are all in its regions, with those regions moved to an account:
  // the same errors, at accounts.prod.regions. A region rule that forgot accounts fails here. The
  // account is the one the fixtures' KMS keys and target groups are in.
  const movable = readdirSync(INVALID).filter((n) => n.endsWith('.yaml') && !n.startsWith('accounts-')).flatMap((name) => {
    let input: Record<string, unknown>;
    try {
      input = parse(readFileSync(join(INVALID, name), 'utf8')) as Record<string, unknown>;
    } catch {
      return [];
    }
    // shareWith shares the top-level regions' copies only: without them it is an error of its own.
    const shares = (input?.copy as { shareWith?: unknown } | undefined)?.shareWith !== undefined;
    if (input === null || typeof input !== 'object' || input.regions === undefined || input.accounts !== undefined || shares) return [];
    const errors = validationErrors(validateFleet(input));
    if (errors.length === 0 || !errors.every((e) => e.path[0] === 'regions' && e.path.length > 1)) return [];
    return [{ name, input, errors }];
  });

  it('finds fixtures to move (at least 15)', () => {
    expect(movable.length).toBeGreaterThanOrEqual(15);
  });

  it.each(movable.map((m) => [m.name, m] as const))('%s: the same errors, at accounts.prod.regions', (_name, { input, errors }) => {
    const { regions, ...rest } = input;
    const partition = awsRegion((input.source as { region: string }).region)?.partition;
    const moved = { ...rest, accounts: { prod: { ...account('111122223333', regions as Regions), roleArn: ROLE('111122223333', partition) } } };
    const movedErrors = validationErrors(validateFleet(moved));
    expect(movedErrors.map((e) => ({ ...e, path: e.path.join('.') })))
      .toEqual(errors.map((e) => ({ ...e, path: ['accounts', 'prod', ...e.path].join('.') })));
  });
});

describe('fleet-level findings', () => {
  it('come out once, however many accounts', () => {
    expect(found(shop({ launchTemplate: { instanceType: 't3.micor' } }))).toEqual([
      'launchTemplate.instanceType: unknown EC2 instance type "t3.micor" (did you mean t3.micro?)',
    ]);
  });

  it('that depend on the regions come out once, from an account when the top-level regions are empty', () => {
    const arm = { region: 'us-east-1', lookup: { owners: ['self'], name: 'golden-*', architecture: 'arm64' as const } };
    expect(found(shop({ source: arm, layout: 'single' }))).toEqual([
      'source.lookup: each of the 2 account stacks resolves the newest image at its own plan, so an image published between two plans puts regions on different images, '
        + 'one of them untested anywhere else (pin it with amifleet release <file> --ami <id>) [unpinned-source-across-stacks]',
      'launchTemplate.instanceType: t3.micro runs x86_64, but the source image is arm64 (source.lookup.architecture) (choose a Graviton type (e.g. m7g, c7g, t4g))',
    ]);
  });

  it('health-check-without-load-balancer names the regions of every account', () => {
    const scaled = (targetGroupArns: string[]) => ({ 'us-east-1': { subnetIds: [SUBNET], targetGroupArns } });
    expect(found(shop({
      accounts: { prod: account('444455556666', scaled([TARGET_GROUP('444455556666')])), staging: account('777788889999', scaled([])) },
      autoScaling: { minSize: 1, maxSize: 2, healthCheckType: 'ELB' },
    }))).toEqual([
      'autoScaling.healthCheckType: ELB health checks come from a load balancer, but the groups of us-east-1 (account staging) register with no target group: '
        + 'nothing but EC2 status checks ever finds an instance unhealthy there (add targetGroupArns to those regions, or use healthCheckType: EC2) [health-check-without-load-balancer]',
    ]);
  });
});

describe('account checks with positions', () => {
  it('a roleArn of another account: at roleArn, naming both accounts', () => {
    expect(printed(shop({ accounts: { prod: { ...account('444455556666'), roleArn: ROLE('111122223333') } } }))).toEqual([
      '10:14: accounts.prod.roleArn: the role is in 111122223333, but the entry\'s id is 444455556666; a stack assumes a role in the account it deploys to '
        + '(use the role of 444455556666 (arn:aws:iam::444455556666:role/amifleet-deploy), or correct the id)',
    ]);
  });

  it('the same id twice: at the second, naming the first', () => {
    expect(printed(shop({ accounts: { prod: account('444455556666'), staging: account('444455556666') } }))).toEqual([
      '14:9: accounts.staging.id: 444455556666 is the id of accounts.prod already: both entries would create the fleet\'s launch templates, under the same names, '
        + 'in the same account (merge the regions of staging into prod, or correct the id)',
    ]);
  });

  it('an account named share, and an unquoted id: the name at its key, the id as written', () => {
    const text = stringify(shop({ accounts: { share: account('444455556666') } })).replace('"444455556666"', '044455556666');
    expect(parseFleetText('shop.yaml', text).diagnostics.map((d) => formatDiagnostic(d).replace(/^shop\.yaml:/, ''))).toEqual([
      '8:3: accounts.share: the name share is amifleet\'s: the stack that shares the source image with the accounts is shop-share (name the account by what it runs, e.g. shared-services)',
      '9:9: accounts.share.id: an account id must be a quoted string (YAML reads an unquoted number, and drops leading zeros) (write "044455556666")',
    ]);
  });

  it('a number where a region setting needs a string is not called an account id', () => {
    expect(found(shop({ accounts: { prod: account('444455556666', { 'us-east-1': { instanceType: 5 as unknown as string } }) } }))).toEqual([
      'accounts.prod.regions.us-east-1.instanceType: must be a string, not a number (write "5")',
    ]);
  });

  it('a KMS key and a target group of another account are errors; the account\'s own are not', () => {
    const key = (id: string) => `arn:aws:kms:us-east-1:${id}:key/2234abcd-12ab-4cd5-9ef6-1234567890ab`;
    const region = (id: string) => ({ 'us-east-1': { kmsKeyId: key(id), subnetIds: [SUBNET], targetGroupArns: [TARGET_GROUP(id)] } });
    expect(found(shop({
      accounts: { prod: account('444455556666', region('111122223333')), staging: account('777788889999', region('777788889999')) },
      autoScaling: { minSize: 1, maxSize: 2 },
    }))).toEqual([
      'accounts.prod.regions.us-east-1.kmsKeyId: the key is in account 111122223333, but it encrypts the copy of account prod (444455556666), which can use it only if '
        + 'that key\'s policy grants prod\'s role (use a key of 444455556666 in us-east-1, or leave kmsKeyId out for prod\'s default EBS key)',
      'accounts.prod.regions.us-east-1.targetGroupArns[0]: the target group is in account 111122223333, but the Auto Scaling group of prod (444455556666) registers with it; '
        + 'a group can only use target groups of its own account (use a target group of prod\'s load balancer in us-east-1)',
    ]);
  });

  it('a rejected field elsewhere leaves the account checks: a bad account name or fleet name still lets the other accounts be checked', () => {
    expect(found(shop({
      fleet: 'Shop',
      accounts: {
        Prod: account('444455556666'),
        staging: { ...account('777788889999', { 'eu-wst-1': {} }), roleArn: ROLE('444455556666') },
        test: account('777788889999'),
        share: account('123456789012'),
      },
    }))).toEqual([
      'fleet: must be a lowercase name: a letter, then up to 30 letters, digits or -',
      'accounts.Prod: must be a lowercase name: a letter, then up to 30 letters, digits or - (write prod)',
      'accounts.staging.roleArn: the role is in 444455556666, but the entry\'s id is 777788889999; a stack assumes a role in the account it deploys to '
        + '(use the role of 777788889999 (arn:aws:iam::777788889999:role/amifleet-deploy), or correct the id)',
      'accounts.staging.regions.eu-wst-1: unknown region "eu-wst-1" (did you mean eu-west-1?)',
      'accounts.test.id: 777788889999 is the id of accounts.staging already: both entries would create the fleet\'s launch templates, under the same names, '
        + 'in the same account (merge the regions of test into staging, or correct the id)',
      'accounts.share: the name share is amifleet\'s: the stack that shares the source image with the accounts is <fleet>-share (name the account by what it runs, e.g. shared-services)',
    ]);
  });
});

describe('accounts with copy.shareWith', () => {
  const share = (accounts: string[]) => ({ shareWith: { accounts } });
  const regions: Regions = { 'us-east-1': { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/2234abcd-12ab-4cd5-9ef6-1234567890ab' } };

  it('warns what each does (accounts-with-share-with), at copy.shareWith', () => {
    expect(printed(shop({ regions, copy: share(['123456789012']) }))).toEqual([
      '22:3: warning: copy.shareWith: shareWith gives launch permission on the copies the credentials\' account owns, in us-east-1; accounts (prod, staging) '
        + 'get copies owned by each account, which are not shared (suppress accounts-with-share-with with the reason, if both are meant) [accounts-with-share-with]',
    ]);
  });

  it('says which account gets both, when shareWith names an entry\'s id', () => {
    expect(found(shop({ regions, copy: share(['777788889999']) }))).toEqual([
      'copy.shareWith: shareWith gives launch permission on the copies the credentials\' account owns, in us-east-1; accounts (prod, staging) '
        + 'get copies owned by each account, which are not shared; 777788889999 (accounts.staging) gets both (remove those ids from shareWith.accounts '
        + 'if their own copies are enough, or suppress accounts-with-share-with with the reason) [accounts-with-share-with]',
    ]);
  });

  it('is accepted with a reason', () => {
    expect(found(shop({ regions, copy: share(['777788889999']), suppress: { 'accounts-with-share-with': 'staging also tests the factory copies' } }))).toEqual([]);
  });

  it('without top-level regions shares nothing: an error (share-with-without-regions), and no warning', () => {
    expect(found(shop({ copy: share(['123456789012']) }))).toEqual([
      'copy.shareWith: shares nothing: it shares the copies in the top-level regions (the credentials\' account), and there are none; the copies of each entry '
        + 'of accounts are owned by that account and never shared (remove shareWith, or add the regions whose copies it shares under regions)',
    ]);
  });
});

describe('any accounts map (fast-check)', () => {
  const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
  const accounts = fc.uniqueArray(fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).filter((n) => n !== 'share'),
    id: fc.stringMatching(/^\d{12}$/),
    regions: fc.subarray(REGIONS, { minLength: 1 }),
  }), { minLength: 1, maxLength: 5, selector: (a) => a.name })
    .filter((list) => new Set(list.map((a) => a.id)).size === list.length);
  const fleetOf = (list: { name: string; id: string; regions: string[] }[], topLevel: string[]): FleetInput => shop({
    regions: Object.fromEntries(topLevel.map((r) => [r, {}])),
    accounts: Object.fromEntries(list.map((a) => [a.name, account(a.id, Object.fromEntries(a.regions.map((r) => [r, {}])))])),
  });

  it('with distinct ids and roles in their accounts validates clean', () => {
    fc.assert(fc.property(accounts, fc.subarray(REGIONS), (list, topLevel) => {
      expect(found(fleetOf(list, topLevel))).toEqual([]);
    }));
  });

  it('with one role moved to another account gives exactly one error, at that roleArn', () => {
    fc.assert(fc.property(accounts, fc.subarray(REGIONS), fc.nat(), fc.stringMatching(/^\d{12}$/), (list, topLevel, pick, other) => {
      const moved = list[pick % list.length];
      fc.pre(other !== moved.id);
      const input = fleetOf(list, topLevel);
      input.accounts![moved.name].roleArn = ROLE(other);
      expect(validationErrors(validateFleet(input)).map((e) => e.path.join('.'))).toEqual([`accounts.${moved.name}.roleArn`]);
    }));
  });
});

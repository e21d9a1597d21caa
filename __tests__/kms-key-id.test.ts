import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { validateFleet } from '../modules/fleet/fleet-validation';
import { terraformLiteral } from '../modules/rendering/terraform-literal';
import { amifleet, ROOT, workdir } from './support/cli';
import { baseFleet } from './support/fleets';
import { MIRROR_AWS_VERSION, terraform, terraformOk } from './support/terraform-cli';

// amifleet passes regions.<r>.kmsKeyId to aws_ami_copy.kms_key_id, to the root volume's
// aws_launch_template ebs.kms_key_id and to data.aws_kms_key.key_id (the kms-key-enabled guard),
// so the judge of an id is the real provider's validation of all three, in one `terraform validate`.

/** Fixed, so the run is the same each time; FC_SEED=<n> explores others. */
const SEED = Number(process.env.FC_SEED ?? 13);
const GENERATED = 300;

const HEX = '0123456789abcdef';
const hexDigit = fc.constantFrom(...HEX);
const hex = (length: number) => fc.string({ unit: hexDigit, minLength: length, maxLength: length });
/** Mostly what the fleet wants, sometimes anything: a valid candidate needs every part right. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, weight = 6) =>
  fc.oneof({ arbitrary: good, weight }, { arbitrary: bad, weight: 1 });

/** RFC 4122 UUIDs, with the version (13th) and variant (17th) digits right or any hex digit. */
const uuid = fc.tuple(hex(8), hex(4), mostly(fc.constantFrom(...'12345'), hexDigit, 3), hex(3),
  mostly(fc.constantFrom(...'89ab'), hexDigit, 3), hex(3), hex(12))
  .map(([a, b, version, c, variant, d, e]) => `${a}-${b}-${version}${c}-${variant}${d}-${e}`);

const keyId = fc.oneof(
  { arbitrary: uuid, weight: 6 },
  { arbitrary: fc.integer({ min: 31, max: 33 }).chain((n) => hex(n)).map((h) => `mrk-${h}`), weight: 3 },
  { arbitrary: uuid.map((u) => u.toUpperCase()), weight: 1 },
  { arbitrary: hex(32).map((h) => `MRK-${h}`), weight: 1 },
  { arbitrary: fc.tuple(uuid, fc.nat(35)).map(([u, i]) => u.slice(0, i) + u.slice(i + 1)), weight: 1 },
  { arbitrary: fc.tuple(uuid, fc.nat(36), hexDigit).map(([u, i, x]) => u.slice(0, i) + x + u.slice(i)), weight: 1 },
  { arbitrary: uuid.map((u) => u.replace(/-/g, '')), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom('x', 'key-', 'mrk-'), hex(32)).map(([junk, h]) => `${junk}mrk-${h}`), weight: 1 },
);

const ALIAS_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-'];
const aliasName = fc.oneof(
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALIAS_CHARS), minLength: 1, maxLength: 16 }), weight: 4 },
  { arbitrary: fc.string({ unit: fc.constantFrom(...ALIAS_CHARS, ' ', ':', '.', '*', 'é'), maxLength: 16 }), weight: 2 },
  { arbitrary: fc.constantFrom('aws/ebs', 'a'.repeat(250), 'a'.repeat(251)), weight: 1 },
);

const resource = fc.oneof(
  { arbitrary: keyId.map((id) => `key/${id}`), weight: 5 },
  { arbitrary: aliasName.map((name) => `alias/${name}`), weight: 3 },
  { arbitrary: fc.oneof(fc.constantFrom('key', 'key/', 'alias', 'secret/x', 'keys/x'), uuid.map((u) => `KEY/${u}`), uuid.map((u) => `key/${u}:x`)), weight: 1 },
);

const partition = mostly(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b', 'aws-eusc'),
  fc.constantFrom('', 'awz', 'aws-', 'AWS', 'aws-cn1', 'aws--cn', 'aws_cn'));
const service = mostly(fc.constant('kms'), fc.constantFrom('', 'KMS', 'ec2', 's3'), 12);
const region = mostly(fc.constantFrom('eu-west-1', 'us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'eu-central-2'),
  fc.constantFrom('', 'eu-west', 'eu-west-10', 'EU-WEST-1', 'euwest1', 'e-west-1', 'eu-west-1a', 'eu_west_1'));
const account = mostly(fc.stringMatching(/^\d{12}$/),
  fc.constantFrom('', 'aws', 'aws-managed', 'third-party', 'cw0123456789', '11112222333', '1111222233334', '11112222333a'));

const kmsKeyCandidate = fc.oneof(
  { arbitrary: fc.tuple(partition, service, region, account, resource).map((parts) => ['arn', ...parts].join(':')), weight: 12 },
  { arbitrary: fc.tuple(partition, region, resource).map(([p, r, res]) => `arn:${p}:kms:${r}:${res}`), weight: 1 },
  { arbitrary: fc.oneof(keyId, aliasName.map((n) => `alias/${n}`)), weight: 1 },
);

const ARN = (res: string, { partition: p = 'aws', service: s = 'kms', region: r = 'eu-west-1', account: a = '111122223333' } = {}) =>
  `arn:${p}:${s}:${r}:${a}:${res}`;

/** Cases a sample might miss: the examples of the issue, and each way amifleet is stricter on purpose. */
const FIXED = [
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab'),
  ARN('key/1234abcd-12ab-34cd-56ef-1234567890ab'),
  ARN('key/mrk-0123456789abcdef0123456789abcdef'),
  ARN('alias/aws/ebs'),
  ARN('alias/web'),
  ARN('key/0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0', { partition: 'aws-cn', region: 'cn-north-1' }),
  '1234abcd-12ab-4cd5-9ef6-1234567890ab',
  'alias/web',
  '',
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab', { service: 's3' }),
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab', { region: '' }),
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab', { account: 'aws-managed' }),
  ARN('alias/'),
  ARN('alias/web:prod'),
  ARN(`alias/${'a'.repeat(251)}`),
  ARN('key/xmrk-0123456789abcdef0123456789abcdef'),
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab', { region: 'eu-west-10' }),
  ARN('key/1234abcd-12ab-4cd5-9ef6-1234567890ab', { partition: 'aws-eusc', region: 'eusc-de-east-1' }),
];

/**
 * Where amifleet refuses on purpose what the provider's checks let through (AWS refuses these,
 * or no key has them), and why; undefined where the two must agree.
 */
function refusedOnPurpose(candidate: string): string | undefined {
  if (candidate === '') return 'empty: the provider reads "" as no key';
  if (/mrk-[0-9a-f]{32}$/.test(candidate) && !/(^|:key\/)mrk-[0-9a-f]{32}$/.test(candidate)) {
    return 'key id pattern: the provider\'s ^<uuid>|mrk-<hex>$ lacks a group, so it takes any text ending in mrk- and 32 hex digits';
  }
  const [prefix, , svc, reg, acct, ...rest] = candidate.split(':');
  if (prefix !== 'arn' || rest.length === 0) return undefined;
  const res = rest.join(':');
  if (svc !== 'kms') return 'service: the provider does not read it';
  if (reg === '') return 'region: the provider allows none';
  if (!/^\d{12}$/.test(acct)) return 'account: the provider also takes none, aws, aws-managed, third-party and cw + 10 characters';
  if (res.startsWith('alias/') && !/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(res)) return 'alias name: the provider takes anything after alias/';
  return undefined;
}

const quoted = (text: string) => terraformLiteral(JSON.stringify(text));

/**
 * One configuration that hands every candidate to the three arguments amifleet fills with it, a
 * file per candidate: terraform quotes each error's source line, and a long file makes that slow.
 */
function providerConfig(candidates: readonly string[]): Record<string, string> {
  const files = Object.fromEntries(candidates.map((c, i) => [`c${i}.tf`, `data "aws_kms_key" "c${i}" {
  key_id = ${quoted(c)}
}
resource "aws_ami_copy" "c${i}" {
  name              = "c${i}"
  source_ami_id     = "ami-0123456789abcdef0"
  source_ami_region = "us-east-1"
  encrypted         = true
  kms_key_id        = ${quoted(c)}
}
resource "aws_launch_template" "c${i}" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted  = "true"
      kms_key_id = ${quoted(c)}
    }
  }
}
`]));
  files['main.tf'] = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${MIRROR_AWS_VERSION}" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
`;
  return files;
}

interface Diagnostic { severity: string; summary: string; address?: string }

/** The provider's verdict on each candidate: the summaries of its errors, empty when it accepts it. */
function providerVerdicts(candidates: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'amifleet-kms-'));
  for (const [name, text] of Object.entries(providerConfig(candidates))) writeFileSync(join(dir, name), text);
  terraformOk(['init', '-backend=false', '-input=false'], dir);
  const run = terraform(['validate', '-json'], dir);
  const result = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
  const verdicts = candidates.map((): string[] => []);
  for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
    const i = /^(?:data\.)?aws_\w+\.c(\d+)$/.exec(d.address ?? '')?.[1];
    if (i === undefined) throw new Error(`terraform validate: an error that is about no candidate: ${JSON.stringify(d)}`);
    verdicts[Number(i)].push(`${d.address}: ${d.summary}`);
  }
  return verdicts;
}

const KMS_PATH = 'regions.eu-west-1.kmsKeyId';

/** The `pattern` of the schema's kmsKeyId property, wherever the schema nests it. */
function kmsKeyIdPattern(node: unknown): string {
  if (node === null || typeof node !== 'object') return '';
  const own = (node as { properties?: { kmsKeyId?: { pattern?: string } } }).properties?.kmsKeyId?.pattern;
  return own ?? Object.values(node).map(kmsKeyIdPattern).find((p) => p !== '') ?? '';
}

/** amifleet's verdict: the schema's messages about the key, empty when it accepts it. */
function amifleetVerdict(candidate: string): string[] {
  const v = validateFleet(baseFleet({ regions: { 'us-east-1': {}, 'eu-west-1': { kmsKeyId: candidate } } }));
  return v.schemaIssues.filter((i) => i.path.join('.') === KMS_PATH).map((i) => i.message);
}

describe('property: a KMS key id is valid for amifleet exactly when the hashicorp/aws provider validates it', () => {
  let cases: { candidate: string; provider: string[]; amifleet: string[]; onPurpose?: string }[];
  beforeAll(() => {
    const generated = fc.sample(kmsKeyCandidate, { numRuns: GENERATED, seed: SEED });
    const candidates = [...new Set([...FIXED, ...generated])];
    const provider = providerVerdicts(candidates);
    cases = candidates.map((candidate, i) => ({
      candidate, provider: provider[i], amifleet: amifleetVerdict(candidate), onPurpose: refusedOnPurpose(candidate),
    }));
  }, 120_000);

  it(`agree on every candidate (${GENERATED} generated with seed ${SEED}, and ${FIXED.length} fixed), except where amifleet is stricter on purpose`, () => {
    const disagreements = cases.filter((c) => (c.amifleet.length === 0) !== (c.provider.length === 0 && c.onPurpose === undefined));
    expect(disagreements).toEqual([]);
  });

  it('see both verdicts often, so the agreement says something', () => {
    const accepted = cases.filter((c) => c.amifleet.length === 0).length;
    expect(accepted).toBeGreaterThan(cases.length / 5);
    expect(cases.length - accepted).toBeGreaterThan(cases.length / 5);
  });

  it('meet every way amifleet is stricter than the provider, on an id the provider accepts: none is stale', () => {
    const reasons = new Set(cases.filter((c) => c.provider.length === 0 && c.onPurpose !== undefined).map((c) => c.onPurpose!.split(':')[0]));
    expect([...reasons].sort()).toEqual(['account', 'alias name', 'empty', 'key id pattern', 'region', 'service']);
  });

  it('give editors the same verdict through fleet.schema.json\'s pattern', () => {
    const pattern = new RegExp(kmsKeyIdPattern(JSON.parse(readFileSync(join(ROOT, 'fleet.schema.json'), 'utf8'))));
    expect(cases.filter((c) => pattern.test(c.candidate) !== (c.amifleet.length === 0))).toEqual([]);
  });

  it('word every refusal as the id\'s wrong part (the rest elided as …), then what is wrong, then the fix', () => {
    for (const c of cases.filter((x) => x.amifleet.length > 0 && x.candidate !== '')) {
      for (const message of c.amifleet) {
        expect(message).toMatch(/\(.+\)$/);
        const shown = message.slice(0, message.indexOf(': '));
        for (const piece of shown.split('…')) expect(c.candidate).toContain(piece);
      }
    }
  });
});

describe('amifleet validate: a KMS key id that is not one', () => {
  const KEY_ID_FIX = '(the key id is a UUID whose 13th digit is 1-5 and 17th digit 8, 9, a or b, or mrk- and 32 hex digits for a multi-Region key)';

  it('accepts the bundled example', () => {
    const r = amifleet(['validate', join(ROOT, 'fleets', 'web.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses the bundled example with its old key id (not an RFC 4122 UUID), at the id, saying what a key id is', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'fleets'));
    const text = readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('kmsKeyId:')) + 1;
    writeFileSync(join(dir, 'fleets', 'web.yaml'), text.replace('1234abcd-12ab-4cd5-9ef6-1234567890ab', '1234abcd-12ab-34cd-56ef-1234567890ab'));
    const r = amifleet(['validate', 'fleets/web.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `fleets/web.yaml:${line}:15: regions.eu-west-1.kmsKeyId: arn:aws:kms:…:key/1234abcd-12ab-34cd-56ef-1234567890ab: not a KMS key id ${KEY_ID_FIX}`);
  });
});

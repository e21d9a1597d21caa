import { join } from 'node:path';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { instanceArchitecture } from '../modules/fleet/rules/instance-architecture';
import { amifleet, VALID_YAML, workdir } from './support/cli';

// One stack resolves the lookup once, so unpinned-source-across-stacks has nothing to say here.
const LOOKUP_YAML = `${VALID_YAML.replace('  ami: ami-0123456789abcdef0', '  lookup: { owners: [amazon], name: al2023-ami-2023.*-x86_64 }')}layout: single\n`;
const lines = (text: string) => parseFleetText('web.yaml', text).diagnostics.map(formatDiagnostic);

describe('instance-type-architecture-mismatch (an error)', () => {
  it('knows the architecture of instance types by EC2\'s naming', () => {
    expect(['m7g.large', 'c7gn.xlarge', 't4g.small', 'r8gd.2xlarge', 'im4gn.large', 'hpc7g.4xlarge', 'a1.medium'].map(instanceArchitecture))
      .toEqual(Array(7).fill('arm64'));
    expect(['t3.micro', 'm7i.large', 'c7a.large', 'g4dn.xlarge', 'p5.48xlarge', 'u-6tb1.metal'].map(instanceArchitecture))
      .toEqual(['x86_64', 'x86_64', 'x86_64', 'x86_64', 'x86_64', undefined]);
    expect(['mac1.metal', 'mac2-m2pro.metal'].map(instanceArchitecture)).toEqual(['x86_64_mac', 'arm64_mac']);
  });

  it('refuses an arm64 type for an image the lookup names x86_64, at the instance type', () => {
    expect(lines(LOOKUP_YAML.replace('instanceType: t3.micro', 'instanceType: c7g.large'))).toEqual([
      'web.yaml:9:17: launchTemplate.instanceType: c7g.large runs arm64, but the source image is x86_64 (source.lookup.name) (choose an x86_64 type (e.g. m7i, c7i, t3))',
    ]);
  });

  it('checks region overrides, and the default only where a region uses it', () => {
    const text = LOOKUP_YAML.replace('  us-east-1: {}', '  us-east-1: { instanceType: m7g.large }')
      .replace('  eu-west-1: {}', '  eu-west-1: { instanceType: m7i.large }').replace('instanceType: t3.micro', 'instanceType: t4g.micro');
    expect(lines(text)).toEqual([
      'web.yaml:6:30: regions.us-east-1.instanceType: m7g.large runs arm64, but the source image is x86_64 (source.lookup.name) (choose an x86_64 type (e.g. m7i, c7i, t3))',
    ]);
  });

  it('is silent when the types fit, and for a pinned image whose architecture only AWS knows', () => {
    expect(lines(LOOKUP_YAML)).toEqual([]);
    expect(lines(VALID_YAML.replace('instanceType: t3.micro', 'instanceType: c7g.large'))).toEqual([]);
  });

  it('cannot be suppressed', () => {
    const text = `${LOOKUP_YAML.replace('instanceType: t3.micro', 'instanceType: c7g.large')}suppress:\n  instance-type-architecture-mismatch: we know\n`;
    expect(lines(text)).toContain('web.yaml:12:3: suppress.instance-type-architecture-mismatch: instance-type-architecture-mismatch finds errors, which cannot be suppressed: a fleet with one cannot work');
  });

  it('makes amifleet validate exit 1 with the instance type\'s position', () => {
    const dir = workdir({ 'web.yaml': LOOKUP_YAML.replace('instanceType: t3.micro', 'instanceType: c7g.large') });
    const r = amifleet(['validate', join(dir, 'web.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'web.yaml')}:9:17: launchTemplate.instanceType: c7g.large runs arm64`);
  });
});

describe.each([
  ['imdsv2-optional', 'instanceType: t3.micro', 'instanceType: t3.micro\n  metadata: { httpTokens: optional }', '10:27: warning: launchTemplate.metadata.httpTokens: IMDSv1 is allowed'],
  ['hop-limit-above-one', 'instanceType: t3.micro', 'instanceType: t3.micro\n  metadata: { hopLimit: 2 }', '10:25: warning: launchTemplate.metadata.hopLimit: hop limit 2 lets containers'],
  ['unencrypted-copy', 'launchTemplate:', 'copy: { encrypted: false }\nlaunchTemplate:', '8:20: warning: copy.encrypted: copies are not encrypted'],
  ['public-sharing', 'launchTemplate:', 'copy: { encrypted: false, shareWith: { public: every-aws-account } }\nlaunchTemplate:', '8:48: warning: copy.shareWith.public: every AWS account can launch these copies'],
  ['shared-copy-without-kms-key', 'launchTemplate:', 'copy: { shareWith: { accounts: ["444455556666"] } }\nlaunchTemplate:', '6:3: warning: regions.us-east-1: shares encrypted copies but names no kmsKeyId'],
  ['s3-state-without-locking', 'launchTemplate:', 'state: { backend: s3, bucket: acme-terraform-state, region: us-east-1, lockfile: false }\nlaunchTemplate:', '8:82: warning: state.lockfile: S3 state without a lock'],
])('%s (a warning)', (id, find, replace, expected) => {
  const bad = VALID_YAML.replace(find, replace);

  it('fires with its position and id, and the fleet stays valid', () => {
    const loaded = parseFleetText('web.yaml', bad);
    expect(loaded.fleet).toBeDefined();
    const found = loaded.diagnostics.filter((d) => d.rule === id).map(formatDiagnostic);
    expect(found[0]).toMatch(new RegExp(`^web\\.yaml:${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\[${id}\\]$`));
  });

  it('is silent on a fleet that follows the practice', () => {
    expect(parseFleetText('web.yaml', VALID_YAML).diagnostics.filter((d) => d.rule === id)).toEqual([]);
  });

  it('is silenced by a suppression with a reason', () => {
    const loaded = parseFleetText('web.yaml', `${bad}suppress:\n  ${id}: reviewed by the platform team\n`);
    expect(loaded.diagnostics.filter((d) => d.rule === id)).toEqual([]);
    expect(loaded.diagnostics.filter((d) => d.rule === 'unused-suppression')).toEqual([]);
  });
});

describe('s3-state-without-locking', () => {
  const s3 = (settings: string) => VALID_YAML.replace('launchTemplate:', `state: { backend: s3, bucket: acme-terraform-state, region: us-east-1${settings} }\nlaunchTemplate:`);

  it('is silent on S3 state with its default lock, or lockfile: true', () => {
    expect(lines(s3(''))).toEqual([]);
    expect(lines(s3(', lockfile: true'))).toEqual([]);
  });

  it('makes amifleet validate --strict fail on lockfile: false', () => {
    const dir = workdir({ 'web.yaml': s3(', lockfile: false') });
    const r = amifleet(['validate', '--strict', join(dir, 'web.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'web.yaml')}:8:82: warning: state.lockfile: S3 state without a lock`);
  });
});

describe('suppressions', () => {
  it('need a reason', () => {
    expect(lines(`${VALID_YAML}suppress:\n  hop-limit-above-one: "  "\n`)).toEqual([
      // The id was accepted, and hop-limit-above-one checked the whole fleet: the entry is stale too.
      'web.yaml:11:3: warning: suppress.hop-limit-above-one: hop-limit-above-one finds nothing to warn about in this fleet (remove this entry) [unused-suppression]',
      'web.yaml:11:24: suppress.hop-limit-above-one: needs a reason: say why the warning does not apply',
    ]);
  });

  it('must name a check, with the closest suggested', () => {
    expect(lines(`${VALID_YAML}suppress:\n  hop-limit-above-on: containers\n`)).toEqual([
      'web.yaml:11:3: suppress.hop-limit-above-on: no check has the id "hop-limit-above-on" (did you mean hop-limit-above-one?)',
    ]);
  });

  it('that suppress nothing are a warning, so stale reasons do not pile up', () => {
    expect(lines(`${VALID_YAML}suppress:\n  hop-limit-above-one: containers\n`)).toEqual([
      'web.yaml:11:3: warning: suppress.hop-limit-above-one: hop-limit-above-one finds nothing to warn about in this fleet (remove this entry) [unused-suppression]',
    ]);
  });
});

describe('amifleet validate and warnings', () => {
  const dir = workdir({ 'web.yaml': VALID_YAML.replace('instanceType: t3.micro', 'instanceType: t3.micro\n  metadata: { hopLimit: 2 }') });

  it('exits 0 on warnings, printing them with their id', () => {
    const r = amifleet(['validate', join(dir, 'web.yaml')]);
    expect([r.code, r.stdout]).toEqual([0, '1 fleet valid, 1 warning\n']);
    expect(r.stderr).toMatch(/warning: launchTemplate\.metadata\.hopLimit: .*\[hop-limit-above-one\]\n$/);
  });

  it('exits 1 on warnings with --strict', () => {
    const r = amifleet(['validate', '--strict', join(dir, 'web.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('amifleet: 1 warning with --strict; fix them, or suppress each with a reason');
  });
});

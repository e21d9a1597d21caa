import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Testing } from 'cdktf';
import { FleetSchema, type Fleet, type FleetInput } from '../modules/fleet/fleet-spec';
import { FleetValidationError } from '../modules/fleet/fleet-validation-error';
import { validateFleet } from '../modules/fleet/fleet-validation';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import { FLEET_RULES } from '../modules/fleet/rules';
import { imageCopyNameInvalid } from '../modules/fleet/rules/image-copy-name-invalid';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';
import { baseFleet, KMS_EU } from './support/fleets';

const RULES_DIR = join(ROOT, 'modules', 'fleet', 'rules');
const fleet = (overrides: Partial<FleetInput> = {}): Fleet => FleetSchema.parse(baseFleet(overrides));

describe('the rule folder (modules/fleet/rules)', () => {
  it('lists every rule file in its index, under the file\'s name as id, with a one-line doc and a source', () => {
    const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .filter((f) => /export const \w+: FleetRule = /.test(readFileSync(join(RULES_DIR, f), 'utf8')))
      .map((f) => basename(f, '.ts')).sort();
    expect(FLEET_RULES.map((r) => r.id).sort()).toEqual(ruleFiles);
    for (const rule of FLEET_RULES) {
      expect(rule.doc).toMatch(/^[^\n]{10,200}$/);
      expect(rule.dataSource.length).toBeGreaterThan(5);
    }
  });

  it('are all named in the README\'s Validation section, with their sources', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Validation'), readme.indexOf('\n## ', readme.indexOf('## Validation') + 1));
    for (const rule of FLEET_RULES) expect(section).toContain(`\`${rule.id}\``);
  });
});

describe('rules as pure functions of a fleet', () => {
  it('accept the bundled example and the test fleet', () => {
    const example = parseFleetText('web.yaml', readFileSync(join(ROOT, 'fleets', 'web.yaml')));
    expect(example.diagnostics).toEqual([]);
    expect(validateFleet(baseFleet()).ruleIssues).toEqual([]);
  });

  it('image-copy-name-invalid: checks the worst-case copy name of a lookup source', () => {
    // The fleet-name pattern keeps file fleets valid; a TypeScript caller can pass any Fleet.
    const long = { ...fleet(), fleet: 'x'.repeat(110), source: { region: 'us-east-1', ssmParameter: '/a/b' } } as Fleet;
    expect(imageCopyNameInvalid.check(long)).toEqual([expect.objectContaining({ path: ['fleet'], message: expect.stringMatching(/ami-f{17}-[0-9a-f]{8}" \(141 characters\)/) })]);
    expect(imageCopyNameInvalid.check(fleet())).toEqual([]);
  });

  it('image-copy-name-invalid: checks the names created, digest included, for every kept image', () => {
    // 100 + 1 + 21 + 1 + 8 = 131: too long only with the digest, and only for the previous image's 17-digit id.
    const kept = { ...fleet(), fleet: 'x'.repeat(100), source: { region: 'us-east-1', ami: 'ami-01234567', previous: ['ami-0bbbbbbbbbbbbbbbb'] } } as Fleet;
    expect(imageCopyNameInvalid.check(kept)).toEqual([expect.objectContaining({ message: expect.stringMatching(/-ami-0b{16}-[0-9a-f]{8}" \(131 characters\)/) })]);
    expect(imageCopyNameInvalid.check({ ...kept, source: { region: 'us-east-1', ami: 'ami-01234567', previous: ['ami-0bbbbbbb'] } } as Fleet)).toEqual([]);
  });

  it('regions of every partition are valid when the fleet stays in one partition', () => {
    const cn = validateFleet(baseFleet({ source: { region: 'cn-north-1', ami: 'ami-0123456789abcdef0' },
      regions: { 'cn-northwest-1': { kmsKeyId: 'arn:aws-cn:kms:cn-northwest-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab' } } }));
    expect(cn.ruleIssues).toEqual([]);
    const eusc = validateFleet(baseFleet({ source: { region: 'eusc-de-east-1', ami: 'ami-0123456789abcdef0' }, regions: { 'eusc-de-east-1': {} } }));
    expect(eusc.ruleIssues).toEqual([]);
  });

  it('still run when the schema rejects other fields, so all mistakes come out at once', () => {
    const v = validateFleet({ ...baseFleet(), regions: { 'eu-wst-1': {} }, launchTemplate: { instanceType: 't3.micro', metadata: { hopLimit: 'one' } } });
    expect(v.schemaIssues.map((i) => i.path.join('.'))).toEqual(['launchTemplate.metadata.hopLimit']);
    expect(v.ruleIssues.map((i) => [i.rule, i.path.join('.')])).toEqual([['unknown-region', 'regions.eu-wst-1']]);
  });
});

describe('reserved-tag-overridden (a warning)', () => {
  const yaml = `${VALID_YAML}tags:\n  Fleet: other\n`;

  it('is reported with its position, and the fleet stays valid', () => {
    const loaded = parseFleetText('web.yaml', yaml);
    expect(loaded.fleet).toBeDefined();
    expect(loaded.diagnostics.map((d) => [d.rule, d.severity])).toEqual([['reserved-tag-overridden', 'warning']]);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([
      'web.yaml:11:3: warning: tags.Fleet: amifleet sets the Fleet tag itself (Fleet=web); this value is ignored (remove it, or use another key) [reserved-tag-overridden]',
    ]);
  });

  it('lets validate exit 0, printing the warning', () => {
    const dir = workdir({ 'web.yaml': yaml });
    const r = amifleet(['validate', join(dir, 'web.yaml')]);
    expect([r.code, r.stdout]).toEqual([0, '1 fleet valid, 1 warning\n']);
    expect(r.stderr).toContain('web.yaml:11:3: warning: tags.Fleet: amifleet sets the Fleet tag itself');
  });
});

describe('the constructs run the same rules', () => {
  it('addFleetStacks throws a FleetValidationError with every rule error by path', () => {
    let error: unknown;
    try {
      addFleetStacks(Testing.app(), baseFleet({
        regions: { 'eu-wst-1': {}, 'eu-west-1': { kmsKeyId: KMS_EU.replace('eu-west-1', 'us-east-1') } },
        launchTemplate: { instanceType: 't3.micor' },
      }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    const issues = (error as FleetValidationError).issues.map((i) => [i.rule, i.path.join('.')]);
    expect(issues).toEqual(expect.arrayContaining([
      ['unknown-region', 'regions.eu-wst-1'],
      ['unknown-instance-type', 'launchTemplate.instanceType'],
      ['kms-key-region-mismatch', 'regions.eu-west-1.kmsKeyId'],
    ]));
    expect((error as Error).message).toContain('regions.eu-wst-1: unknown region "eu-wst-1" (did you mean eu-west-1?)');
  });

  it('a KMS key on unencrypted copies is a validation error, not a construct crash', () => {
    expect(() => addFleetStacks(Testing.app(), baseFleet({ copy: { encrypted: false } })))
      .toThrow(/regions\.eu-west-1\.kmsKeyId: a KMS key needs encrypted copies/);
  });
});

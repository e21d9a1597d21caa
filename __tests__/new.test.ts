import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { amifleet, ROOT, workdir } from './support/cli';
import { instanceUserData } from './support/user-data';

describe('amifleet new demo --region eu-west-1 --region us-east-1, then validate and synth', () => {
  let dir: string;
  let created: ReturnType<typeof amifleet>;
  let validated: ReturnType<typeof amifleet>;
  let synthesized: ReturnType<typeof amifleet>;
  beforeAll(() => {
    dir = workdir();
    created = amifleet(['new', 'demo', '--region', 'eu-west-1', '--region', 'us-east-1'], dir);
    validated = amifleet(['validate', 'fleets/demo.yaml'], dir);
    synthesized = amifleet(['synth', 'fleets/demo.yaml', '--out', 'cdktf.out'], dir);
  });

  it('writes the fleet file and its user data template, and says what to do next', () => {
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe('created fleets/demo.yaml and templates/user-data/demo.sh.hbs\nnext: npx amifleet synth fleets/demo.yaml\n');
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'fleets', 'templates']);
  });

  it('writes a commented fleet file that points editors at the schema', () => {
    const text = readFileSync(join(dir, 'fleets', 'demo.yaml'), 'utf8');
    // No amifleet installed in this folder: the running CLI's own schema.
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${join(ROOT, 'fleet.schema.json')}`);
    expect(parse(text)).toMatchObject({
      fleet: 'demo',
      source: { region: 'eu-west-1', lookup: { owners: ['amazon'], name: 'al2023-ami-2023.*-x86_64', architecture: 'x86_64' } },
      regions: { 'eu-west-1': {}, 'us-east-1': {} },
      launchTemplate: { instanceType: 't3.micro', userData: { template: 'demo.sh.hbs', vars: { packages: [] } }, metadata: { httpTokens: 'required' } },
    });
  });

  it('validates and synthesizes at once', () => {
    expect(validated).toMatchObject({ code: 0, stdout: '1 fleet valid\n', stderr: '' });
    expect(synthesized).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['demo-eu-west-1', 'demo-us-east-1']);
  });

  it('the scaffolded template renders user data for each region', () => {
    const stack = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'demo-us-east-1', 'cdk.tf.json'), 'utf8'));
    const lt = Object.values(stack.resource.aws_launch_template)[0] as { user_data: unknown };
    const text = instanceUserData(lt.user_data, () => 'ami-0fedcba9876543210');
    expect(text).toMatch(/^#!\/bin\/bash\n# Fleet demo in us-east-1, instance type t3\.micro\.\n/);
    expect(text).toContain("REGION 'us-east-1' IMAGE_ID 'ami-0fedcba9876543210'");
  });
});

describe('amifleet new refuses to overwrite', () => {
  let dir: string;
  beforeAll(() => {
    dir = workdir();
    expect(amifleet(['new', 'web'], dir).code).toBe(0);
    writeFileSync(join(dir, 'fleets', 'web.yaml'), 'edited by hand\n');
  });

  it('exits 1, says which file exists, and writes nothing', () => {
    const r = amifleet(['new', 'web', '--region', 'eu-west-1'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('amifleet new: fleets/web.yaml and templates/user-data/web.sh.hbs already exist; nothing written (--force overwrites)\n');
    expect(readFileSync(join(dir, 'fleets', 'web.yaml'), 'utf8')).toBe('edited by hand\n');
    expect(readdirSync(dir).sort()).toEqual(['fleets', 'templates']);
  });

  it('overwrites with --force', () => {
    expect(amifleet(['new', 'web', '--region', 'eu-west-1', '--force'], dir).code).toBe(0);
    expect(parse(readFileSync(join(dir, 'fleets', 'web.yaml'), 'utf8')).regions).toEqual({ 'eu-west-1': {} });
  });
});

describe('amifleet new: usage errors exit 2 and write nothing', () => {
  it.each([
    [['new', 'Web'], 'amifleet new: fleet name "Web" must be a lowercase name: a letter, then up to 30 letters, digits or -\n'],
    [['new', 'web', '--region', 'EU_WEST'], 'amifleet new: --region "EU_WEST" is not an AWS region\n'],
    [['new', 'web', '--region', 'eu-wst-1'], 'amifleet new: --region "eu-wst-1" is not an AWS region (did you mean eu-west-1?)\n'],
    [['new', 'web', '--source-region', 'mars'], 'amifleet new: --source-region "mars" is not an AWS region\n'],
    [['new', 'web', '--source', 'ami-xyz'], 'amifleet new: --source "ami-xyz" must be al2023 (the newest Amazon Linux 2023, the default), ami-<id> (a pinned image) or ssm:<parameter name>\n'],
    [['new', 'web', '--source', 'ubuntu'], 'amifleet new: --source "ubuntu" must be al2023 (the newest Amazon Linux 2023, the default), ami-<id> (a pinned image) or ssm:<parameter name>\n'],
  ])('%j', (args, message) => {
    const dir = workdir();
    const r = amifleet(args, dir);
    expect([r.code, r.stderr]).toEqual([2, message]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('amifleet new: a flag value that makes an invalid fleet is a usage error naming the flag (exit 2), and writes nothing', () => {
  const across = 'is in partition aws, but the source image (cn-north-1) is in aws-cn; an image cannot be copied between partitions (give aws regions a fleet of their own, with a source in aws)';
  it.each([
    [['new', 'web', '--instance-type', 't3.micor'],
      ['amifleet new: --instance-type "t3.micor": unknown EC2 instance type "t3.micor" (did you mean t3.micro?)']],
    [['new', 'web', '--instance-type', 'c7g.large'],
      ['amifleet new: --instance-type "c7g.large": c7g.large runs arm64, but the source image is x86_64 (source.lookup.architecture) (choose an x86_64 type (e.g. m7i, c7i, t3))']],
    [['new', 'ab'],
      ['amifleet new: <fleet> "ab": names the launch templates "ab", but a launch template name needs 3 to 128 letters, digits or ().-/_ (use a fleet name of at least 3 characters)']],
    [['new', 'web', '--region', 'us-east-1', '--source-region', 'cn-north-1'], [`amifleet new: --region "us-east-1": ${across}`]],
    [['new', 'web', '--region', 'cn-north-1', '--region', 'us-east-1', '--instance-type', 't3.micor'], [
      `amifleet new: --region "us-east-1": ${across}`,
      'amifleet new: --instance-type "t3.micor": unknown EC2 instance type "t3.micor" (did you mean t3.micro?)',
    ]],
    // The default instance type is the one to change for an arm64 image.
    [['new', 'web', '--source', 'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'],
      ['amifleet new: --instance-type "t3.micro": t3.micro runs x86_64, but the source image is arm64 (source.ssmParameter) (choose a Graviton type (e.g. m7g, c7g, t4g))']],
  ])('%j', (args, lines) => {
    const dir = workdir();
    const r = amifleet(args, dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `${lines.join('\n')}\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('amifleet new: a scaffold template that makes an invalid fleet is no flag\'s fault', () => {
  const scaffold = readFileSync(join(__dirname, '..', 'templates', 'scaffold', 'fleet.yaml.hbs'), 'utf8');
  it.each([
    ['writes a field no flag sets wrong', scaffold.replace('hopLimit: 1', 'hopLimit: 0'), /launchTemplate\.metadata\.hopLimit: must be at least 1/],
    ['writes a flag\'s field other than the flag said', scaffold.replace('instanceType: {{instanceType}}', 'instanceType: {{instanceType}}x'),
      /launchTemplate\.instanceType: unknown EC2 instance type "t3\.microx"/],
  ])('%s: exit 1, the errors at their positions, nothing written', (_, template, error) => {
    const dir = workdir({ 'templates/scaffold/fleet.yaml.hbs': template });
    const r = amifleet(['new', 'web'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^fleets/web\\.yaml:\\d+:\\d+: ${error.source}`, 'm'));
    expect(r.stderr.trimEnd().split('\n').pop()).toBe('amifleet new: the scaffold templates made an invalid fleet; nothing written');
    expect(readdirSync(dir)).toEqual(['templates']);
  });
});

describe('amifleet new --source', () => {
  it.each([
    ['ami-0123456789abcdef0', { ami: 'ami-0123456789abcdef0' }],
    ['ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64', { ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' }],
  ])('%s', (source, expected) => {
    const dir = workdir();
    expect(amifleet(['new', 'app', '--source', source, '--source-region', 'us-west-2', '--instance-type', 't4g.micro'], dir).code).toBe(0);
    const fleet = parse(readFileSync(join(dir, 'fleets', 'app.yaml'), 'utf8'));
    expect(fleet.source).toEqual({ region: 'us-west-2', ...expected });
    expect(fleet.regions).toEqual({ 'us-east-1': {} });
    expect(fleet.launchTemplate.instanceType).toBe('t4g.micro');
    expect(amifleet(['validate', 'fleets'], dir)).toMatchObject({ code: 0, stdout: '1 fleet valid\n' });
    expect(existsSync(join(dir, 'templates', 'user-data', 'app.sh.hbs'))).toBe(true);
  });
});

describe('amifleet new points $schema at the schema of the amifleet the project uses', () => {
  const SCHEMA_LINE = /^# yaml-language-server: \$schema=(.+)$/m;
  /** The fleet file `new` wrote in `cwd`, and the file its `$schema` names, from the fleet file's folder. */
  function scaffoldSchema(cwd: string): { written: string; file: string } {
    expect(amifleet(['new', 'web'], cwd)).toMatchObject({ code: 0, stderr: '' });
    const written = SCHEMA_LINE.exec(readFileSync(join(cwd, 'fleets', 'web.yaml'), 'utf8'))?.[1] ?? '';
    return { written, file: resolve(cwd, 'fleets', written) };
  }
  const installed = (name: string): Record<string, string> => ({
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '9.9.9' }),
    [`node_modules/${name}/fleet.schema.json`]: '{"title":"the installed schema"}',
    'package.json': JSON.stringify({ name: 'team-infra', private: true }),
  });

  it('a project that installed amifleet: node_modules/amifleet/fleet.schema.json, relative to the fleet file', () => {
    const project = workdir(installed('amifleet'));
    const schema = scaffoldSchema(project);
    expect(schema.written).toBe('../node_modules/amifleet/fleet.schema.json');
    expect(readFileSync(schema.file, 'utf8')).toBe('{"title":"the installed schema"}');
  });

  it('a folder below that project: the project\'s node_modules, further up', () => {
    const project = workdir({ ...installed('amifleet'), 'infra/.keep': '' });
    const schema = scaffoldSchema(join(project, 'infra'));
    expect(schema.written).toBe('../../node_modules/amifleet/fleet.schema.json');
    expect(schema.file).toBe(join(project, 'node_modules', 'amifleet', 'fleet.schema.json'));
  });

  it('a project that installed only the CLI: node_modules/amifleet-cli/fleet.schema.json', () => {
    const schema = scaffoldSchema(workdir(installed('amifleet-cli')));
    expect(schema.written).toBe('../node_modules/amifleet-cli/fleet.schema.json');
    expect(existsSync(schema.file)).toBe(true);
  });

  it('inside amifleet\'s own repository: the repository\'s fleet.schema.json', () => {
    mkdirSync(join(ROOT, 'scratch'), { recursive: true });
    const inRepo = mkdtempSync(join(ROOT, 'scratch', 'new-'));
    try {
      const schema = scaffoldSchema(inRepo);
      expect(schema.written).toBe('../../../fleet.schema.json');
      expect(schema.file).toBe(join(ROOT, 'fleet.schema.json'));
    } finally {
      rmSync(inRepo, { recursive: true, force: true });
    }
  });
});

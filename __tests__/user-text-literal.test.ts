import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validFleet } from '../modules/constructs/fleet-stack';
import { FleetValidationError } from '../modules/fleet/fleet-validation-error';
import { amifleet, workdir } from './support/cli';
import { baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';
import { terraformValues } from './support/terraform-values';

// What must never run: a file read on the machine that plans, and a template directive.
const PAYLOAD = '${file("/etc/passwd")} %{ if true }x%{ endif }';
/** A field's text names the field, so whatever Terraform makes of it traces back to it. */
const text = (field: string) => `<${field}> ${PAYLOAD}`;
const FIELD = /<([\w.]+)> /;

const GREETING = `\${x} ${text('launchTemplate.userData.vars')}`;
const FLEET = {
  fleet: 'texts',
  description: text('description'),
  tags: { [text('tags.key')]: text('tags.value') },
  source: {
    region: 'us-east-1',
    lookup: {
      owners: ['amazon'],
      name: text('source.lookup.name'),
      architecture: 'x86_64',
      filters: { [text('source.lookup.filters.key')]: [text('source.lookup.filters.value')] },
    },
  },
  regions: {
    'us-east-1': {},
    'eu-west-1': { tags: { [text('regions.tags.key')]: text('regions.tags.value') } },
  },
  launchTemplate: {
    instanceType: 't3.micro',
    keyName: text('launchTemplate.keyName'),
    userData: { template: 'texts.sh.hbs', vars: { greeting: GREETING } },
    metadata: { hopLimit: 2 },
  },
  publish: { ssmParameter: '/amifleet/texts/ami-id' },
  suppress: { 'hop-limit-above-one': text('suppress') },
};
/** The fields whose text Terraform gets (user data is base64; suppress reasons never leave amifleet). */
const REACHING_TERRAFORM = [
  'description', 'launchTemplate.keyName', 'regions.tags.key', 'regions.tags.value', 'source.lookup.filters.key',
  'source.lookup.filters.value', 'source.lookup.name', 'tags.key', 'tags.value',
];
const USER_DATA_TEMPLATE = `#!/bin/sh
echo {{shellQuote greeting}}
image={{amiId}}
{{#each tags}}
{{@key}}={{this}}
{{/each}}
`;
const IMAGE_ID = 'ami-0fedcba9876543210';

/** Where fleet text sits in a configuration: a string, or a map key (given as a one-entry map). */
interface Carrier { readonly where: string; readonly value: unknown; local?: string }

/** Every string and map key of a configuration that holds a fleet field's text; user data is read on its own. */
function carriers(json: unknown, where: string): Carrier[] {
  if (typeof json === 'string') return FIELD.test(json) ? [{ where, value: json }] : [];
  if (Array.isArray(json)) return json.flatMap((item, i) => carriers(item, `${where}[${i}]`));
  if (json === null || typeof json !== 'object') return [];
  return Object.entries(json).flatMap(([key, value]) => [
    ...(FIELD.test(key) ? [{ where: `${where} key ${key}`, value: { [key]: '' } }] : []),
    ...(key === 'user_data' ? [] : carriers(value, `${where}.${key}`)),
  ]);
}

/** Every string and map key of an evaluated value. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...texts(v)]);
}

function readJsonFiles(dir: string): Record<string, TfJson> {
  const out: Record<string, TfJson> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (name.endsWith('.tf.json')) out[name] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as TfJson;
  }
  return out;
}

describe('user text reaches Terraform as text: every text field of a fleet holds ${...} and %{...}', () => {
  const outputs: Record<string, Record<string, TfJson>> = {};
  let evaluated: Record<string, unknown>;
  const found: Record<string, Carrier[]> = {};
  let userDataLocals: string[];

  beforeAll(() => {
    const dir = workdir({
      'fleets/texts.yaml': stringify(FLEET),
      'single/texts.yaml': stringify({ ...FLEET, layout: 'single' }),
      'templates/user-data/texts.sh.hbs': USER_DATA_TEMPLATE,
    });
    const runs: Record<string, string[]> = {
      'per-region': ['synth', 'fleets/texts.yaml', '--out', 'per-region'],
      single: ['synth', 'single/texts.yaml', '--out', 'single-out'],
      module: ['module', 'fleets/texts.yaml', '--out', 'module-out'],
    };
    for (const [kind, args] of Object.entries(runs)) {
      const run = amifleet(args, dir);
      if (run.code !== 0) throw new Error(`amifleet ${args.join(' ')}: exit ${run.code}\n${run.stderr}`);
      outputs[kind] = readJsonFiles(join(dir, args[3]));
      found[kind] = Object.entries(outputs[kind]).flatMap(([file, json]) => carriers(json, `${kind} ${file}`));
    }
    // The module's variables are declared, so its merge(var.tags, ...) evaluates as a caller's default would.
    const moduleVariables = outputs.module['variables.tf.json'].variable as Record<string, unknown>;
    const locals: Record<string, unknown> = {};
    Object.values(found).flat().forEach((c, i) => {
      c.local = `c${i}`;
      locals[c.local] = c.value;
    });
    // User data, with the copy's id as a local: Terraform's own base64encode(), decoded again.
    userDataLocals = [];
    locals.image_id = IMAGE_ID;
    for (const [file, json] of Object.entries(outputs['per-region'])) {
      const copyName = Object.keys(resources(json, 'aws_ami_copy'))[0];
      const userData = only(resources(json, 'aws_launch_template')).user_data as string;
      const name = `user_data_${userDataLocals.length}`;
      locals[name] = userData.split(`aws_ami_copy.${copyName}.id`).join('local.image_id');
      locals[`${name}_decoded`] = `\${base64decode(local.${name})}`;
      userDataLocals.push(`${name}_decoded:${file}`);
    }
    evaluated = terraformValues(locals, moduleVariables);
  });

  it.each(['per-region', 'single', 'module'])('%s: every string and map key that holds fleet text is the text itself to Terraform', (kind) => {
    const seen = new Set<string>();
    for (const carrier of found[kind]) {
      for (const t of texts(evaluated[carrier.local!])) {
        const field = FIELD.exec(t)?.[1];
        if (field === undefined) continue;
        seen.add(field);
        expect({ where: carrier.where, value: t }).toEqual({ where: carrier.where, value: text(field) });
      }
    }
    expect([...seen].sort()).toEqual(REACHING_TERRAFORM);
  });

  it('writes fleet text escaped ($${, %%{) in the JSON, never as an expression', () => {
    const json = JSON.stringify(outputs);
    expect(json).not.toMatch(/(?<!\$)\$\{file\(|(?<!%)%\{ if true/);
    expect(json).toContain('$${file(\\"/etc/passwd\\")} %%{ if true }x%%{ endif }');
  });

  it('renders user data from the fleet as written: a var holding ${x} reaches the instance as ${x}, once', () => {
    const fleetTags: Record<string, Record<string, string>> = {
      'us-east-1': { ...FLEET.tags, Fleet: 'texts', ManagedBy: 'amifleet' },
      'eu-west-1': { ...FLEET.tags, ...FLEET.regions['eu-west-1'].tags, Fleet: 'texts', ManagedBy: 'amifleet' },
    };
    for (const entry of userDataLocals) {
      const [name, file] = entry.split(':');
      const region = file.includes('eu-west-1') ? 'eu-west-1' : 'us-east-1';
      const tags = fleetTags[region];
      const tagLines = Object.keys(tags).sort().map((k) => `${k}=${tags[k]}\n`).join('');
      expect({ file, userData: evaluated[name] }).toEqual({
        file, userData: `#!/bin/sh\necho '${GREETING}'\nimage=${IMAGE_ID}\n${tagLines}`,
      });
    }
    expect(userDataLocals).toHaveLength(2);
  });
});

describe('user data without Terraform references', () => {
  it('is base64 of the text rendered from the fleet as written: ${x} and %{y} stay as they are', () => {
    const stacks = synthFleet(
      baseFleet({
        tags: { team: '$${pre-escaped} %{z}' },
        launchTemplate: { instanceType: 't3.micro', userData: { template: 'plain.sh.hbs', vars: { greeting: '${x} %{y}' } } },
      }),
      { userDataTemplate: { name: 'plain.sh.hbs', source: 'echo {{greeting}} {{tags.team}}\n' } },
    );
    const userData = only(resources(stacks['web-eu-west-1'], 'aws_launch_template')).user_data as string;
    expect(Buffer.from(userData, 'base64').toString('utf8')).toBe('echo ${x} %{y} $${pre-escaped} %{z}\n');
  });
});

describe('state settings: Terraform evaluates nothing in backend and cloud blocks, so ${ and %{ are refused', () => {
  const CLOUD = `fleet: web
source:
  region: us-east-1
  ami: ami-0123456789abcdef0
regions:
  us-east-1: {}
launchTemplate:
  instanceType: t3.micro
state:
  backend: cloud
  organization: acme-\${file("/etc/passwd")}
  project: "%{ if true }x%{ endif }"
  hostname: tfe.example.com$\${x}
  workspacePrefix: amifleet-
`;

  it('validate names each setting with its position, all at once (exit 1)', () => {
    const dir = workdir({ 'fleets/web.yaml': CLOUD });
    const run = amifleet(['validate', 'fleets/web.yaml'], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.includes('state.'));
    expect(lines).toEqual([
      expect.stringMatching(/^fleets\/web\.yaml:11:17: state\.organization: must not hold "\$\{": Terraform evaluates nothing in backend and cloud settings/),
      expect.stringMatching(/^fleets\/web\.yaml:12:12: state\.project: must not hold "%\{"/),
      expect.stringMatching(/^fleets\/web\.yaml:13:13: state\.hostname: must not hold "\$\{"/),
    ]);
  });

  it('synth writes nothing', () => {
    const dir = workdir({ 'fleets/web.yaml': CLOUD });
    const run = amifleet(['synth', 'fleets/web.yaml', '--out', 'out'], dir);
    expect(run.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an S3 setting the schema already refuses is reported once', () => {
    const dir = workdir({ 'fleets/web.yaml': CLOUD.replace(/state:[\s\S]*/, 'state:\n  backend: s3\n  bucket: acme-state\n  region: us-east-1\n  keyPrefix: a${x}\n') });
    const run = amifleet(['validate', 'fleets/web.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.includes('state.'))).toEqual([
      expect.stringMatching(/^fleets\/web\.yaml:13:14: state\.keyPrefix: must be an S3 key prefix/),
    ]);
  });

  it('the constructs refuse them too', () => {
    const fleet = baseFleet({ state: { backend: 'cloud', organization: 'acme', project: 'p%{x}' } });
    expect(() => validFleet(fleet)).toThrow(FleetValidationError);
    expect(() => validFleet(fleet)).toThrow(/state\.project: must not hold "%\{"/);
  });
});

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFleetText } from '../loader/load-fleet';
import type { FleetFile } from '../loader/load-fleets';
import { fleetModule, moduleReadme } from '../cli/fleet-module-writer';
import { MODULE_MARKER, moduleReferenceProblems, type TerraformModule } from '../cli/terraform-module';
import { amifleet, ROOT, VALID_YAML, workdir } from './support/cli';

function fleetFile(text: string, file = 'fleets/web.yaml'): FleetFile {
  const loaded = parseFleetText(file, text);
  if (!loaded.fleet || !loaded.document) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return { file, fleet: loaded.fleet, document: loaded.document };
}

type Block = Record<string, Record<string, Record<string, unknown>>>;

describe('a fleet as a Terraform module (pinned source image)', () => {
  let module: TerraformModule;
  let readme: string;
  beforeAll(() => {
    const f = fleetFile(VALID_YAML.replace('eu-west-1: {}', 'eu-west-1: { instanceType: m7i.large }'));
    module = fleetModule(f);
    readme = moduleReadme(f, module);
  });

  it('is main, variables, outputs and versions files', () => {
    expect(Object.keys(module.files).sort()).toEqual(['main.tf.json', 'outputs.tf.json', 'variables.tf.json', 'versions.tf.json']);
  });

  it('configures no backend and no provider, only required_providers and the Terraform version', () => {
    const all = JSON.stringify(module.files);
    expect(all).not.toContain('"backend"');
    expect(all).not.toContain('"provider"');
    expect(module.files['versions.tf.json']).toEqual({
      '//': MODULE_MARKER,
      terraform: { required_version: '>= 1.2.0', required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' } } },
    });
    // cdktf's metadata comments are gone; the one comment left marks the directory as amifleet's.
    const { 'versions.tf.json': _versions, ...rest } = module.files;
    expect(JSON.stringify(rest)).not.toContain('"//"');
  });

  it('has variables for the name prefix, extra tags, instance type per region, the pinned image and its snapshot devices', () => {
    const variables = (module.files['variables.tf.json'].variable as Record<string, Record<string, unknown>>);
    expect(Object.keys(variables).sort()).toEqual(['instance_types', 'name_prefix', 'snapshot_device_names', 'source_image_id', 'tags']);
    expect(variables.instance_types.default).toEqual({ 'eu-west-1': 'm7i.large', 'us-east-1': 't3.micro' });
    expect(variables.source_image_id.default).toBe('ami-0123456789abcdef0');
    expect(variables.name_prefix.default).toBe('web');
    // null: the devices of the fleet file's image (terraform-module-plan.test.ts plans both ways).
    expect(variables.snapshot_device_names).toMatchObject({ type: 'list(string)', default: null });
    expect(variables.snapshot_device_names.description).toContain('ami-0123456789abcdef0');
  });

  it('uses its variables in the resources', () => {
    const resources = module.files['main.tf.json'].resource as Block;
    for (const lt of Object.values(resources.aws_launch_template)) {
      expect(lt.instance_type).toBe(`\${lookup(var.instance_types, "${lt.region}", "${lt.region === 'eu-west-1' ? 'm7i.large' : 't3.micro'}")}`);
      expect(lt.name).toBe('${var.name_prefix}');
      expect(lt.tags).toMatch(/^\$\{merge\(var\.tags, \{/);
    }
    for (const copy of Object.values(resources.aws_ami_copy)) {
      expect(copy.source_ami_id).toBe('${var.source_image_id}');
      expect(copy.name).toMatch(/^\$\{var\.name_prefix\}-\$\{var\.source_image_id\}-[0-9a-f]{8}$/);
    }
  });

  it('moves the copies of amifleet 0.1 to their keyed addresses, so a caller upgrading keeps them', () => {
    const main = module.files['main.tf.json'] as { moved?: { from: string; to: string }[]; resource: Block };
    const copies = main.moved!.filter((m) => m.from.startsWith('aws_ami_copy.'));
    expect(copies.map((m) => m.from).sort()).toEqual(['aws_ami_copy.eu-west-1_copy_image_65747BDC', 'aws_ami_copy.us-east-1_copy_image_040EDB0D']);
    for (const { to } of main.moved!) expect(main.resource[to.split('.')[0]][to.split('.')[1]]).toBeDefined();
  });

  it('outputs maps by region covering every region', () => {
    const outputs = module.files['outputs.tf.json'].output as Record<string, { value: Record<string, string> }>;
    for (const name of ['image_ids', 'launch_template_ids', 'launch_template_latest_versions']) {
      expect(Object.keys(outputs[name].value).sort()).toEqual(['eu-west-1', 'us-east-1']);
    }
  });

  it('has no dangling references: every var. has its variable, every reference exists', () => {
    expect(moduleReferenceProblems(module.files)).toEqual([]);
  });

  it('README has terraform-docs style inputs and outputs tables and a usage example', () => {
    expect(readme).toContain('| Name | Description | Type | Default | Required |');
    expect(readme).toMatch(/^\| instance_types \| .* \| `map\(string\)` \| `\{"eu-west-1" = "m7i.large", "us-east-1" = "t3.micro"\}` \| no \|$/m);
    expect(readme).toMatch(/^\| source_image_id \| .* \| `string` \| `"ami-0123456789abcdef0"` \| no \|$/m);
    for (const output of ['image_ids', 'launch_template_ids', 'launch_template_latest_versions']) {
      expect(readme).toMatch(new RegExp(`^\\| ${output} \\| .+ \\|$`, 'm'));
    }
    expect(readme).toContain('module "web" {');
    expect(readme).toMatch(/^\| snapshot_device_names \| .* \| `list\(string\)` \| `null` \| no \|$/m);
  });

  it('README shows a source image from a pipeline, and when snapshot_device_names must be set', () => {
    expect(readme).toContain('## A source image from a pipeline');
    expect(readme).toContain('ami.region == "us-east-1"');
    expect(readme).toMatch(/devices of the fleet file's image\s+\(`ami-0123456789abcdef0`\)/);
  });
});

describe('the module reference check', () => {
  it('finds a variable, resource, data source or local that does not exist', () => {
    expect(moduleReferenceProblems({
      'main.tf.json': { resource: { aws_launch_template: { lt: {
        image_id: '${aws_ami_copy.gone.id}', name: '${var.nope}', key_name: '${data.aws_ami.x.id}', description: '${local.y}',
      } } } },
      'outputs.tf.json': { output: { literal: { value: 'plain' } } },
    })).toEqual([
      'resource.aws_launch_template.lt.image_id: aws_ami_copy.gone does not exist',
      'resource.aws_launch_template.lt.name: var.nope has no variable block',
      'resource.aws_launch_template.lt.key_name: data.aws_ami.x does not exist',
      'resource.aws_launch_template.lt.description: local.y is not defined',
      'output.literal: references nothing in the module',
    ]);
  });
});

describe('amifleet module', () => {
  it('writes the bundled example as a module whose outputs cover every region, with a README (exit 0)', () => {
    const out = join(workdir(), 'web-module');
    const r = amifleet(['module', join(ROOT, 'fleets', 'web.yaml'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['README.md', 'main.tf.json', 'outputs.tf.json', 'variables.tf.json', 'versions.tf.json']);
    const outputs = JSON.parse(readFileSync(join(out, 'outputs.tf.json'), 'utf8')).output;
    expect(Object.keys(outputs.image_ids.value).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    // A lookup source: nothing to pin, so no source_image_id input.
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'variables.tf.json'), 'utf8')).variable).sort())
      .toEqual(['instance_types', 'name_prefix', 'tags']);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).not.toContain('## A source image from a pipeline');
  });

  it('exit 1 for an invalid fleet, nothing written', () => {
    const dir = workdir({ 'web.yaml': 'fleet: Web\n' });
    expect(amifleet(['module', join(dir, 'web.yaml'), '--out', join(dir, 'm')]).code).toBe(1);
    expect(existsSync(join(dir, 'm'))).toBe(false);
  });

  it('exit 2 without --out, or for a directory of several fleets', () => {
    expect(amifleet(['module', join(ROOT, 'fleets', 'web.yaml')]).code).toBe(2);
    const dir = workdir({ 'a.yaml': VALID_YAML.replace('fleet: web', 'fleet: alpha'), 'b.yaml': VALID_YAML.replace('fleet: web', 'fleet: bravo') });
    const r = amifleet(['module', dir, '--out', join(dir, 'm')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 fleets; give one fleet file/);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { App } from 'cdktf';
import { FleetStack } from '../modules/constructs/fleet-stack';
import type { FleetFile } from '../loader/load-fleets';
import { checkOutputTarget, writeOutput, type OutputKind } from './output-dir';
import {
  MODULE_AWS_VERSION, MODULE_FILES, MODULE_MARKER, moduleReferenceProblems, moduleSummary, toTerraformModule, type TerraformModule,
} from './terraform-module';

import { packageRoot } from './package-root';

/** Synthesizes one fleet as a Terraform module (every region in one configuration). */
export function fleetModule(fleetFile: FleetFile): TerraformModule {
  const scratch = mkdtempSync(join(tmpdir(), 'amifleet-module-'));
  try {
    const app = new App({ outdir: scratch, stackTraces: false });
    const stack = new FleetStack(app, fleetFile.fleet.fleet, { fleet: fleetFile.fleet, asModule: true, userDataTemplate: fleetFile.userDataTemplate });
    app.synth();
    const json = JSON.parse(readFileSync(join(scratch, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    return toTerraformModule(json);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Inputs of a module whose fleet pins its image. */
const IMAGE_INPUTS = ['source_image_id', 'snapshot_device_names'];

/** The module's README: what it is, a usage example, and terraform-docs style input and output tables. */
export function moduleReadme(fleetFile: FleetFile, module: TerraformModule, templateFile = join(packageRoot(), 'templates', 'module', 'README.md.hbs')): string {
  const render = Handlebars.create().compile(readFileSync(templateFile, 'utf8'), { strict: true, noEscape: true });
  const { fleet } = fleetFile;
  const summary = moduleSummary(fleet);
  const hcl = (value: unknown): string => JSON.stringify(value, null, 0).replace(/":/g, '" = ').replace(/,"/g, ', "');
  return render({
    fleet: fleet.fleet,
    description: fleet.description ?? '',
    sourceFile: fleetFile.file,
    source: summary.source,
    regions: summary.regions,
    regionCount: `${summary.regions.length} region${summary.regions.length === 1 ? '' : 's'}`,
    firstRegion: summary.regions[0],
    imports: module.imports.length > 0 ? module.imports : false,
    terraformVersion: module.terraformVersion,
    awsVersion: MODULE_AWS_VERSION,
    variables: module.variables.map((v) => ({ ...v, defaultText: hcl(v.default).replace(/\|/g, '\\|') })),
    outputs: module.outputs.map((o) => ({ ...o, description: o.description || '-' })),
    // The image inputs have a section of their own (a pipeline's image), so the example leaves them out.
    exampleInputs: module.variables.filter((v) => !IMAGE_INPUTS.includes(v.name)).map((v) => ({ name: v.name, value: hcl(v.default) })),
    pinnedImage: module.variables.some((v) => v.name === 'source_image_id') ? fleet.source.ami : false,
    sourceRegion: fleet.source.region,
  });
}

/**
 * A module output: versions.tf.json carries amifleet's marker, or (written before the marker
 * existed) the directory holds only files `amifleet module` writes.
 */
export const MODULE_OUTPUT: OutputKind = {
  option: '--out',
  isEarlierOutput: (dir) => {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'versions.tf.json'), 'utf8')) as Record<string, unknown>)['//'] === MODULE_MARKER) return true;
    } catch {
      return false;
    }
    const entries = readdirSync(dir);
    return entries.includes('main.tf.json') && entries.every((e) => (MODULE_FILES as readonly string[]).includes(e));
  },
};

/**
 * Writes the module (every `*.tf.json` and README.md) to `outDir`, all or nothing; an earlier
 * module output there keeps whatever else it holds (a `.terraform/` of someone's test run).
 */
export function writeFleetModule(fleetFile: FleetFile, outDir: string): string[] {
  const target = checkOutputTarget(outDir, MODULE_OUTPUT, [fleetFile.file]);
  const module = fleetModule(fleetFile);
  const problems = moduleReferenceProblems(module.files);
  if (problems.length > 0) throw new Error(`generated module has dangling references:\n${problems.join('\n')}`);
  const readme = moduleReadme(fleetFile, module);
  return writeOutput(target, (temp) => {
    const names = [...Object.keys(module.files), 'README.md'].sort();
    for (const name of Object.keys(module.files)) writeFileSync(join(temp, name), `${JSON.stringify(module.files[name], null, 2)}\n`);
    writeFileSync(join(temp, 'README.md'), readme);
    const stale = target.earlier ? MODULE_FILES.filter((f) => !names.includes(f) && existsSync(join(target.dir, f))) : [];
    return { result: names, stale };
  });
}

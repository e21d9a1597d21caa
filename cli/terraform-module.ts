import type { Fleet } from '../modules/fleet/fleet-spec';

type Json = Record<string, unknown>;

/** The provider major amifleet generates for: per-resource region arguments came with 6.0. */
export const MODULE_AWS_VERSION = '>= 6.25.0, < 7.0.0';

/** The comment in a module's versions.tf.json that tells `amifleet module --out` the directory is its own earlier output. */
export const MODULE_MARKER = 'Written by amifleet module. A later `amifleet module --out` of this directory replaces the *.tf.json files and README.md that amifleet writes, and nothing else.';

/** Every file `amifleet module` may write. */
export const MODULE_FILES = ['main.tf.json', 'variables.tf.json', 'outputs.tf.json', 'versions.tf.json', 'README.md'] as const;

export interface ModuleVariable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly default: unknown;
}

export interface ModuleOutput {
  readonly name: string;
  readonly description: string;
}

/** An import a caller of the module writes in its root module (import blocks cannot live in a module). */
export interface ModuleImport {
  readonly to: string;
  readonly id: string;
}

/** A Terraform module as files: `*.tf.json` by name, and what its README documents. */
export interface TerraformModule {
  readonly files: Record<string, Json>;
  /** The stack's `required_version` (see modules/rendering/terraform-version.ts), counting the import blocks its caller adds. */
  readonly terraformVersion: string;
  readonly variables: ModuleVariable[];
  readonly outputs: ModuleOutput[];
  readonly imports: ModuleImport[];
}

/**
 * Turns a synthesized stack into a reusable module: no backend, no provider configuration
 * (the caller's provider serves; every resource names its region), cdktf's metadata removed,
 * and the configuration split the way terraform-docs expects (main, variables, outputs, versions).
 */
export function toTerraformModule(stack: Json): TerraformModule {
  const clean = withoutMetadata(stack) as Json;
  const variables = Object.entries((clean.variable ?? {}) as Record<string, Json>).map(([name, v]) => ({
    name, type: String(v.type ?? 'any'), description: String(v.description ?? ''), default: v.default,
  }));
  const outputs = Object.entries((clean.output ?? {}) as Record<string, Json>).map(([name, o]) => ({
    name, description: String(o.description ?? ''),
  }));
  const imports = ((clean.import ?? []) as Json[]).map((i) => ({ to: String(i.to), id: String(i.id) }));
  const terraformVersion = (clean.terraform as Json | undefined)?.required_version;
  if (typeof terraformVersion !== 'string') throw new Error('the stack has no terraform.required_version to give its module');
  const main: Json = {};
  // moved blocks work inside a module (addresses are the module's own): a caller upgrading amifleet keeps its copies.
  for (const key of ['locals', 'data', 'resource', 'moved']) if (clean[key] !== undefined) main[key] = clean[key];
  const files: Record<string, Json> = {
    'main.tf.json': main,
    'versions.tf.json': {
      // Terraform ignores "//" properties; this one marks the directory as amifleet's output (see MODULE_OUTPUT).
      '//': MODULE_MARKER,
      terraform: {
        required_version: terraformVersion,
        required_providers: { aws: { source: 'hashicorp/aws', version: MODULE_AWS_VERSION } },
      },
    },
  };
  if (variables.length > 0) files['variables.tf.json'] = { variable: clean.variable };
  if (outputs.length > 0) files['outputs.tf.json'] = { output: clean.output };
  return { files, terraformVersion, variables, outputs, imports };
}

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Json).filter(([k]) => k !== '//').map(([k, v]) => [k, withoutMetadata(v)]));
}

/** Outputs whose value is fleet data (a region's wave), the same in every state: constants on purpose. */
const ROLLOUT_OUTPUTS = ['rollout_wave', 'rollout_waves'];

/**
 * Every reference in the module that points at nothing: a `var.x` without its variable, a
 * resource, data source or local that does not exist. Empty for a well-formed module.
 */
export function moduleReferenceProblems(files: Record<string, Json>): string[] {
  const merged: Json = {};
  for (const body of Object.values(files)) Object.assign(merged, body);
  const variables = new Set(Object.keys((merged.variable ?? {}) as Json));
  const locals = new Set(Object.keys((merged.locals ?? {}) as Json));
  const resources = addresses(merged.resource);
  const data = addresses(merged.data);
  const problems: string[] = [];
  for (const [where, text] of strings(merged, '')) {
    // Interpolations nest (for-expressions, quoted keys), so a string that has one is read whole.
    for (const expression of text.includes('${') ? [text] : []) {
      for (const m of expression.matchAll(/(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) {
        if (!variables.has(m[1])) problems.push(`${where}: var.${m[1]} has no variable block`);
      }
      for (const m of expression.matchAll(/(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) {
        if (!locals.has(m[1])) problems.push(`${where}: local.${m[1]} is not defined`);
      }
      for (const m of expression.matchAll(/(?<![\w.])data\.(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
        if (!data.has(`${m[1]}.${m[2]}`)) problems.push(`${where}: data.${m[1]}.${m[2]} does not exist`);
      }
      for (const m of expression.matchAll(/(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
        if (!resources.has(`${m[1]}.${m[2]}`)) problems.push(`${where}: ${m[1]}.${m[2]} does not exist`);
      }
    }
  }
  for (const [name, output] of Object.entries((merged.output ?? {}) as Record<string, Json>)) {
    if (ROLLOUT_OUTPUTS.includes(name)) continue;
    if (!JSON.stringify(output.value ?? null).includes('${')) problems.push(`output.${name}: references nothing in the module`);
  }
  return problems;
}

function addresses(blocks: unknown): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries((blocks ?? {}) as Record<string, Json>)) {
    for (const name of Object.keys(byName)) out.add(`${type}.${name}`);
  }
  return out;
}

function* strings(value: unknown, where: string): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [where, value];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* strings(value[i], `${where}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Json)) {
      if (k === 'variable') continue;
      yield* strings(v, where ? `${where}.${k}` : k);
    }
  }
}

/** A description of the fleet a module was made from, for its README. */
export function moduleSummary(fleet: Fleet): { regions: string[]; source: string } {
  const s = fleet.source;
  const source = s.ami ?? (s.ssmParameter ? `SSM parameter ${s.ssmParameter}` : `latest ${s.lookup?.name ?? 'image'} owned by ${s.lookup?.owners.join(', ')}`);
  return { regions: Object.keys(fleet.regions).sort(), source: `${source} in ${s.region}` };
}

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

// The real `terraform` on what amifleet writes. These machines ship terraform 1.11 and the
// hashicorp/aws provider 5.100.0 in a filesystem mirror; nothing is downloaded. Provider 5 has
// no per-resource `region` argument (6.0 brought it), so `forProvider5` rewrites a stack for it.

/** The provider version of the mirror; amifleet's stacks ask for 6.x. */
export const MIRROR_AWS_VERSION = '5.100.0';

/** Where these machines keep the provider mirror (the folder above `registry.terraform.io`). */
const MIRROR_CANDIDATES = [
  process.env.AMIFLEET_TERRAFORM_MIRROR, '/opt/tf-plugins', '/usr/local/share/terraform/plugins', '/usr/share/terraform/plugins',
  join(homedir(), '.terraform.d', 'plugins'), join(homedir(), '.local', 'share', 'terraform', 'plugins'),
].filter((d): d is string => d !== undefined && d !== '');

export interface TerraformRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let cliConfig: string | undefined;

/**
 * The terraform CLI config that installs providers from the mirror only. Throws, saying what is
 * missing and how to fix it, when terraform or the mirror is not on this machine: the
 * Terraform tests must fail there, not pass without having run.
 */
export function terraformCliConfig(): string {
  if (cliConfig) return cliConfig;
  const version = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (version.error || version.status !== 0) {
    throw new Error('the Terraform tests need `terraform` (1.5 or later) on the PATH; it was not found. Install it, then run npm test again.');
  }
  const mirror = MIRROR_CANDIDATES.find((d) => existsSync(join(d, 'registry.terraform.io', 'hashicorp', 'aws', MIRROR_AWS_VERSION)));
  if (mirror === undefined) {
    throw new Error(`the Terraform tests need the hashicorp/aws ${MIRROR_AWS_VERSION} provider in a filesystem mirror; none of ${MIRROR_CANDIDATES.join(', ')} `
      + `holds registry.terraform.io/hashicorp/aws/${MIRROR_AWS_VERSION}. Set AMIFLEET_TERRAFORM_MIRROR to the folder that does `
      + '(find / -xdev -name \'terraform-provider-aws_*\': the folder above registry.terraform.io).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'amifleet-terraform-'));
  cliConfig = join(dir, 'terraformrc');
  writeFileSync(cliConfig, `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`);
  return cliConfig;
}

/** Runs terraform in `cwd`, offline, without colour or prompts. */
export function terraform(args: readonly string[], cwd: string): TerraformRun {
  const r = spawnSync('terraform', [...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: terraformCliConfig(), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `terraform` that must succeed: its output on success, an error with all of it otherwise. */
export function terraformOk(args: readonly string[], cwd: string): string {
  const r = terraform(args, cwd);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} in ${cwd} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type Json = Record<string, unknown>;

/**
 * A stack as provider 5 takes it, mechanically: the version constraint becomes the mirror's;
 * every resource, data source and import block that names a `region` other than its provider's
 * uses instead a provider aliased by that region (`aws.eu_west_1`; `aws.<alias>_eu_west_1` for a
 * block of an aliased provider), added beside the stack's own as a copy of that provider in the
 * region (so an account's aliases assume its role too); one in its provider's region just loses
 * the argument; an import id's `@region` suffix (provider 6's cross-region import) is dropped.
 * Nothing else changes.
 */
export function forProvider5(stack: Json): Json {
  const out = structuredClone(stack) as Json & { terraform?: Json; provider?: { aws?: Json[] }; import?: Json[] };
  const providers = (out.terraform?.required_providers ?? {}) as Record<string, Json>;
  if (providers.aws) providers.aws.version = MIRROR_AWS_VERSION;
  const own = out.provider?.aws ?? [];
  const added = new Map<string, Json>();
  // A block's own provider serves its own region: one provider process fewer per plan (each is a 600 MB binary starting).
  const alias = (region: string, provider?: unknown): string | undefined => {
    const base = typeof provider === 'string' ? provider.replace(/^aws\./, '') : undefined;
    const config = own.find((p) => p.alias === base) ?? {};
    if (region === config.region) return typeof provider === 'string' ? provider : undefined;
    const name = `${base === undefined ? '' : `${base}_`}${region.replace(/-/g, '_')}`;
    if (!added.has(name)) added.set(name, { ...config, alias: name, region });
    return `aws.${name}`;
  };
  regionsAsProviders(out, alias);
  for (const block of out.import ?? []) {
    const m = /^(.*)@([a-z0-9-]+)$/.exec(String(block.id));
    if (!m) continue;
    block.id = m[1];
    const provider = alias(m[2], block.provider);
    if (provider) block.provider = provider;
  }
  if (added.size > 0) {
    out.provider = { ...(out.provider ?? {}), aws: [...own, ...[...added.keys()].sort().map((n) => added.get(n) as Json)] };
  }
  return out;
}

/** Every resource and data source of `config` that names a `region` names `provider = alias(region, its provider)` instead (none: its provider's region). */
function regionsAsProviders(config: Json, alias: (region: string, provider?: unknown) => string | undefined): void {
  for (const kind of ['resource', 'data'] as const) {
    for (const byName of Object.values((config[kind] ?? {}) as Record<string, Record<string, Json>>)) {
      for (const block of Object.values(byName)) {
        if (typeof block.region !== 'string') continue;
        const provider = alias(block.region, block.provider);
        if (provider) block.provider = provider;
        delete block.region;
      }
    }
  }
}

/**
 * The files of a module from `amifleet module`, as provider 5 takes them: as in `forProvider5`,
 * each block that names a `region` uses a provider aliased by it, which the module cannot
 * configure itself, so versions.tf.json declares the aliases (`configuration_aliases`) and the
 * caller passes its own in (`providers`, returned). Nothing else changes.
 */
export function moduleForProvider5(files: Readonly<Record<string, Json>>): { files: Record<string, Json>; providers: Record<string, string>; regions: string[] } {
  const out = structuredClone(files) as Record<string, Json>;
  const regions = new Set<string>();
  const alias = (region: string): string => {
    regions.add(region);
    return `aws.${region.replace(/-/g, '_')}`;
  };
  for (const config of Object.values(out)) regionsAsProviders(config, alias);
  const sorted = [...regions].sort();
  const aws = (((out['versions.tf.json'].terraform as Json).required_providers as Record<string, Json>).aws);
  aws.version = MIRROR_AWS_VERSION;
  aws.configuration_aliases = sorted.map(alias);
  return { files: out, providers: Object.fromEntries(sorted.map((r) => [alias(r), alias(r)])), regions: sorted };
}

/**
 * A root module calling the module in `./modules/<name>` (a provider-5 one, see
 * `moduleForProvider5`), with a provider aliased by each of its regions, the given inputs
 * (argument name -> JSON value, `${...}` for expressions) and anything else of the root
 * (`resource`, `output`). `planStack` points the providers at the double, as for a stack.
 */
export function moduleCaller(name: string, module: { providers: Record<string, string>; regions: string[] }, inputs: Json = {}, root: Json = {}): Json {
  return {
    ...root,
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: MIRROR_AWS_VERSION } } },
    provider: { aws: module.regions.map((r) => ({ alias: r.replace(/-/g, '_'), region: r })) },
    module: { [name]: { source: `./modules/${name}`, providers: module.providers, ...inputs } },
  };
}

/** Rewrites the module `amifleet module` wrote into `dir` in place for provider 5 (see `moduleForProvider5`). */
export function adaptModuleDir(dir: string): { providers: Record<string, string>; regions: string[] } {
  const names = readdirSync(dir).filter((f) => f.endsWith('.tf.json'));
  const adapted = moduleForProvider5(Object.fromEntries(names.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json])));
  for (const f of names) writeFileSync(join(dir, f), `${JSON.stringify(adapted.files[f], null, 2)}\n`);
  return { providers: adapted.providers, regions: adapted.regions };
}

/** Rewrites a synthesized stack file in place for provider 5 (see `forProvider5`). */
export function adaptStackFile(file: string): void {
  writeFileSync(file, `${JSON.stringify(forProvider5(JSON.parse(readFileSync(file, 'utf8')) as Json), null, 2)}\n`);
}

/** Terraform run without blocking this process (the AWS double answers from it meanwhile). */
export function terraformAsync(args: readonly string[], cwd: string): Promise<TerraformRun> {
  const env = { ...process.env, TF_CLI_CONFIG_FILE: terraformCliConfig(), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A stack as the plan tests run it: `forProvider5`, every aws provider pointed at the AWS double
 * with dummy credentials and the checks that would call real AWS skipped, and local state in
 * the working directory instead of the stack's S3 or HCP Terraform backend (which plan would
 * have to reach). Nothing else changes.
 */
export function forPlan(stack: Json, endpoint: string): Json {
  const out = forProvider5(stack) as Json & { terraform?: Json; provider?: { aws?: Json[] } };
  for (const provider of out.provider?.aws ?? []) {
    Object.assign(provider, {
      access_key: 'amifleet-test', secret_key: 'amifleet-test', max_retries: 1,
      skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true,
      endpoints: [Object.fromEntries(['ec2', 'kms', 'ssm', 'sts'].map((s) => [s, endpoint]))],
    });
  }
  if (out.terraform) {
    delete out.terraform.cloud;
    out.terraform.backend = { local: { path: 'terraform.tfstate' } };
  }
  return out;
}

/** One change of a plan, as `terraform plan -json` reports it. */
export interface PlannedChange {
  readonly address: string;
  /** `create`, `update`, `delete`, `replace`, `read`, `noop`, or `import` for an import without changes. */
  readonly action: string;
}

export interface PlanResult extends TerraformRun {
  /** Every resource the plan would change, when planning succeeded. */
  readonly changes?: PlannedChange[];
  /** Terraform's error and warning messages (`summary: detail`). */
  readonly diagnostics: string[];
  /** `terraform show -json` of the saved plan, when asked for (`show: true`) and planning succeeded. */
  readonly plan?: Json & { resource_changes?: { address: string; change: { actions: string[] } }[] };
  /** The working directory, holding cdk.tf.json as planned, for a second plan. */
  readonly dir: string;
}

/**
 * Plans a stack against the AWS double in a fresh working directory (`forPlan`), or again in
 * `dir`; `state` seeds terraform.tfstate. The plan's own JSON events give its changes, so only
 * `show: true` pays for a `terraform show -json` (another start of the 600 MB provider).
 */
export async function planStack(stack: Json, endpoint: string,
  options: { state?: Json; dir?: string; args?: string[]; show?: boolean } = {}): Promise<PlanResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'amifleet-plan-'));
  writeFileSync(join(dir, 'cdk.tf.json'), `${JSON.stringify(forPlan(stack, endpoint), null, 2)}\n`);
  if (options.state) writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(options.state));
  if (!existsSync(join(dir, '.terraform'))) {
    const init = await terraformAsync(['init', '-input=false', '-no-color'], dir);
    if (init.code !== 0) return { ...init, dir, diagnostics: [init.stderr] };
  }
  const run = await terraformAsync(['plan', '-input=false', '-json', '-out=plan.bin', ...(options.args ?? [])], dir);
  const events = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as {
    type: string; diagnostic?: { severity: string; summary: string; detail: string }; change?: { resource: { addr: string }; action: string };
  });
  const diagnostics = events.filter((e) => e.type === 'diagnostic' && e.diagnostic)
    .map((e) => `${e.diagnostic!.severity}: ${e.diagnostic!.summary}: ${e.diagnostic!.detail}`);
  if (run.code !== 0) return { ...run, dir, diagnostics };
  const changes = events.filter((e) => e.type === 'planned_change' && e.change).map((e) => ({ address: e.change!.resource.addr, action: e.change!.action }));
  if (!options.show) return { ...run, dir, diagnostics, changes };
  const show = await terraformAsync(['show', '-json', 'plan.bin'], dir);
  return { ...run, dir, diagnostics, changes, plan: JSON.parse(show.stdout) };
}

/** Runs `work` on every item, at most `limit` at once (these machines have two cores). */
export async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  }));
  return results;
}

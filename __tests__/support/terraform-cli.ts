import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
 * every resource, data source and import block that names a `region` uses instead a provider
 * aliased by that region (`aws.eu_west_1`), added beside the stack's own; an import id's
 * `@region` suffix (provider 6's cross-region import) is dropped. Nothing else changes.
 */
export function forProvider5(stack: Json): Json {
  const out = structuredClone(stack) as Json & { terraform?: Json; provider?: { aws?: Json[] }; import?: Json[] };
  const providers = (out.terraform?.required_providers ?? {}) as Record<string, Json>;
  if (providers.aws) providers.aws.version = MIRROR_AWS_VERSION;
  const regions = new Set<string>();
  const alias = (region: string): string => {
    regions.add(region);
    return `aws.${region.replace(/-/g, '_')}`;
  };
  for (const kind of ['resource', 'data'] as const) {
    for (const byName of Object.values((out[kind] ?? {}) as Record<string, Record<string, Json>>)) {
      for (const block of Object.values(byName)) {
        if (typeof block.region !== 'string') continue;
        block.provider = alias(block.region);
        delete block.region;
      }
    }
  }
  for (const block of out.import ?? []) {
    const m = /^(.*)@([a-z0-9-]+)$/.exec(String(block.id));
    if (!m) continue;
    block.id = m[1];
    block.provider = alias(m[2]);
  }
  if (regions.size > 0) {
    const own = out.provider?.aws ?? [];
    out.provider = { ...(out.provider ?? {}), aws: [...own, ...[...regions].sort().map((r) => ({ alias: r.replace(/-/g, '_'), region: r }))] };
  }
  return out;
}

/** Rewrites a synthesized stack file in place for provider 5 (see `forProvider5`). */
export function adaptStackFile(file: string): void {
  writeFileSync(file, `${JSON.stringify(forProvider5(JSON.parse(readFileSync(file, 'utf8')) as Json), null, 2)}\n`);
}

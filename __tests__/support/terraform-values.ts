import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What Terraform itself makes of values written in Terraform JSON: each value becomes a local
 * (by its name, so values may refer to each other as `local.<name>`) of a configuration with no
 * providers, applied in a temporary directory; the values come back as `terraform output -json`
 * gives them. One Terraform run for all of them. `variables` are `variable` blocks to declare.
 */
export function terraformValues(locals: Record<string, unknown>, variables: Record<string, unknown> = {}): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'amifleet-terraform-values-'));
  try {
    const config = {
      ...(Object.keys(variables).length > 0 ? { variable: variables } : {}),
      locals,
      output: { values: { value: Object.fromEntries(Object.keys(locals).map((name) => [name, `\${local.${name}}`])) } },
    };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
    terraform(dir, ['init', '-input=false', '-no-color']);
    terraform(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
    return JSON.parse(terraform(dir, ['output', '-json', 'values'])) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function terraform(dir: string, args: string[]): string {
  const run = spawnSync('terraform', args, {
    cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
  });
  if (run.error) throw new Error(`terraform ${args[0]}: ${run.error.message} (is terraform on the PATH?)`);
  if (run.status !== 0) throw new Error(`terraform ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amifleet, benchFleets, ROOT, workdir } from './support/cli';

/** How many stacks, and resources and data sources of each type, a synthesized directory holds. */
function countsPerType(outDir: string): Record<string, number> {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const counts: Record<string, number> = { stacks: 0 };
  for (const stack of Object.values(manifest.stacks)) {
    counts.stacks += 1;
    const tf = JSON.parse(readFileSync(join(outDir, stack.synthesizedStackPath), 'utf8')) as Record<string, Record<string, object> | undefined>;
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(tf[kind] ?? {})) {
        counts[`${kind}.${type}`] = (counts[`${kind}.${type}`] ?? 0) + Object.keys(byName).length;
      }
    }
  }
  return counts;
}

describe('the benchmark\'s stock baseline (bench/stock/main.ts)', () => {
  it('creates as many stacks, resources and data sources of each type as amifleet, for the same fleets', () => {
    const dir = workdir();
    // Three fleets: a pinned image, an aws_ami lookup and an SSM parameter.
    const fleets = benchFleets(3, join(dir, 'fleets'));
    expect(amifleet(['synth', fleets.dir, '--out', join(dir, 'amifleet')]).code).toBe(0);
    // Type-checking the root import takes 10 s and 1.5 GB; the benchmark pays that, the test only runs the app.
    const stock = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'main.ts'], {
      cwd: join(ROOT, 'bench', 'stock'),
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TS_NODE_TRANSPILE_ONLY: 'true', STOCK_FLEETS: fleets.json, CDKTF_OUTDIR: join(dir, 'stock') },
    });
    expect(stock.stderr).toBe('');
    expect(stock.status).toBe(0);
    const expected = countsPerType(join(dir, 'amifleet'));
    expect(expected).toMatchObject({
      stacks: 51, 'resource.aws_ami_copy': 51, 'resource.aws_launch_template': 51, 'resource.aws_ec2_tag': 51, 'data.aws_ami': 51,
      'data.aws_ssm_parameter': 17, 'data.aws_ec2_instance_type_offerings': 51, 'data.aws_ec2_instance_types': 51, 'data.aws_kms_key': 13,
    });
    expect(countsPerType(join(dir, 'stock'))).toEqual(expected);
  }, 120_000);
});

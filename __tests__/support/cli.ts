import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
/** The built CLI, as `npx amifleet` runs it (npm test builds before jest). */
export const CLI = join(ROOT, 'dist', 'cli', 'amifleet.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function amifleet(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory holding the given files. */
export function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'amifleet-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export const VALID_YAML = `fleet: web
source:
  region: us-east-1
  ami: ami-0123456789abcdef0
regions:
  us-east-1: {}
  eu-west-1: {}
launchTemplate:
  instanceType: t3.micro
`;

/** What `amifleet synth fleets` writes in `project`: every stack's cdk.tf.json, by stack name (from the manifest). */
export function synthesizedStacks(project: string): Record<string, Record<string, unknown>> {
  const synth = amifleet(['synth', 'fleets'], project);
  if (synth.code !== 0) throw new Error(`amifleet synth exited ${synth.code}: ${synth.stderr}`);
  const manifest = JSON.parse(readFileSync(join(project, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) =>
    [name, JSON.parse(readFileSync(join(project, 'cdktf.out', s.synthesizedStackPath), 'utf8')) as Record<string, unknown>]));
}

/** Every file under `dir`, by path relative to it, with its bytes. */
export function readTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = join(sub, name);
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel));
    }
  };
  walk('');
  return out;
}

interface GeneratedFleets {
  readonly dir: string;
  readonly json: string;
  readonly fleets: { fleet: string; regions: Record<string, unknown> }[];
}

/** The benchmark's realistic fleets (17 regions each, mixed sources, overrides and backends), written to `dir`. */
export function benchFleets(count: number, dir: string): GeneratedFleets {
  const generator = require('../../bench/fleet-generator') as { writeFleets: (n: number, d: string) => GeneratedFleets };
  return generator.writeFleets(count, dir);
}

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fleetStackDependencies, fleetStackWaves } from '../modules/fleet/stack-waves';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { amifleet, CLI, ROOT, VALID_YAML, workdir } from './support/cli';
import { ROLLOUT as ROLLOUT_YAML } from './support/rollout-fixture';

const SINGLE_YAML = `${VALID_YAML.replace('fleet: web', 'fleet: api')}layout: single
`;

type WaveFleet = Pick<Fleet, 'fleet' | 'source' | 'regions' | 'rollout' | 'layout'>;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];

/** A fleet whose regions are dealt into waves as `waveOf` says (wave numbers may skip: those waves are empty). */
function fleetOf(waveOf: number[], layout: Fleet['layout'] = 'per-region'): WaveFleet {
  const regions = REGIONS.slice(0, waveOf.length);
  const waves = Array.from({ length: Math.max(...waveOf) }, (_, w) => regions.filter((_, i) => waveOf[i] === w + 1));
  return {
    fleet: 'web', layout, rollout: { waves, promoted: 1 },
    source: { region: 'us-east-1', ami: 'ami-0aaaaaaaaaaaaaaaa', previous: ['ami-0bbbbbbbbbbbbbbbb'] } as Fleet['source'],
    regions: Object.fromEntries(regions.map((r) => [r, {}])) as Fleet['regions'],
  };
}

describe('fleetStackWaves and fleetStackDependencies', () => {
  it('per-region: each stack in its region\'s wave, waiting for every stack of the nearest earlier wave with one', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: REGIONS.length }), (waveOf) => {
      const fleet = fleetOf(waveOf);
      const waves = fleetStackWaves(fleet);
      const dependencies = fleetStackDependencies(fleet);
      const waveOfStack = (stack: string) => waveOf[REGIONS.indexOf(stack.slice('web-'.length))];
      for (const stack of Object.keys(waves)) {
        expect(waves[stack]).toEqual([waveOfStack(stack)]);
        const earlier = Object.keys(waves).filter((s) => waveOfStack(s) < waveOfStack(stack));
        const nearest = Math.max(0, ...earlier.map(waveOfStack));
        expect(dependencies[stack].slice().sort()).toEqual(earlier.filter((s) => waveOfStack(s) === nearest).sort());
      }
    }));
  });

  it('a single-layout stack holds every wave that has a region, and depends on nothing', () => {
    const fleet = fleetOf([1, 3, 3, 4], 'single');
    expect(fleetStackWaves(fleet)).toEqual({ web: [1, 3, 4] });
    expect(fleetStackDependencies(fleet)).toEqual({ web: [] });
  });

  it('without rollout, every stack is in wave 1 and none waits for another', () => {
    const fleet = { ...fleetOf([1, 1, 1]), rollout: undefined };
    expect(Object.values(fleetStackWaves(fleet))).toEqual([[1], [1], [1]]);
    expect(Object.values(fleetStackDependencies(fleet))).toEqual([[], [], []]);
  });
});

/**
 * What `cdktf deploy` does with a manifest, run with the cdktf CLI's own scheduling code in a
 * process of its own (its package starts `terraform version` when loaded): the order in which
 * stacks start when each deploy succeeds, which stacks it stops when `failing` fails, and
 * whether it accepts a deploy of `alone` on its own.
 */
function cdktfDeploySchedule(manifestPath: string, failing: string, alone: string):
  { started: { stack: string; deployed: string[] }[]; stoppedBy: string[]; aloneRefusal: string } {
  const script = `
    const { readFileSync } = require('node:fs');
    const helpers = require('@cdktf/cli-core/src/lib/helpers/stack-helpers');
    const [manifestPath, failing, alone] = process.argv.slice(1);
    // The stacks as SynthStack.readSynthesizedStacks gives them to the deploy: the manifest's entries.
    const stacks = Object.values(JSON.parse(readFileSync(manifestPath, 'utf8')).stacks);
    const executors = helpers.getMultipleStacks(stacks, ['*'], 'deploy').map((stack) => ({
      stack, currentState: 'pending', currentWorkPromise: undefined,
      get isPending() { return this.currentState === 'pending'; },
    }));
    let aloneRefusal = '';
    try { helpers.checkIfAllDependenciesAreIncluded(helpers.getMultipleStacks(stacks, [alone], 'deploy')); }
    catch (e) { aloneRefusal = e.message; }
    (async () => {
      const started = [];
      for (let next; (next = await helpers.getStackWithNoUnmetDependencies(executors));) {
        started.push({ stack: next.stack.name, deployed: executors.filter((e) => e.currentState === 'done').map((e) => e.stack.name).sort() });
        const running = next;
        running.currentState = 'running';
        running.currentWorkPromise = new Promise((resolve) => setImmediate(() => {
          running.currentState = 'done';
          running.currentWorkPromise = undefined;
          resolve();
        }));
      }
      const stoppedBy = helpers.findAllNestedDependantStacks(executors, failing).map((e) => e.stack.name).sort();
      process.stdout.write('SCHEDULE ' + JSON.stringify({ started, stoppedBy, aloneRefusal }) + '\\n');
      process.exit(0);
    })();
  `;
  const r = spawnSync(process.execPath, ['-e', script, manifestPath, failing, alone], { cwd: ROOT, encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('SCHEDULE '));
  if (line === undefined) throw new Error(`no schedule: ${r.stderr}`);
  return JSON.parse(line.slice('SCHEDULE '.length));
}

describe('cdktf deploy applies the waves in order (the cdktf CLI\'s own scheduler on amifleet\'s manifest)', () => {
  let schedule: ReturnType<typeof cdktfDeploySchedule>;
  beforeAll(() => {
    const dir = workdir({ 'fleets/shop.yaml': ROLLOUT_YAML, 'fleets/api.yaml': SINGLE_YAML });
    expect(amifleet(['synth', 'fleets'], dir).code).toBe(0);
    schedule = cdktfDeploySchedule(join(dir, 'cdktf.out', 'manifest.json'), 'shop-us-east-1', 'shop-eu-west-1');
  });

  it('starts a stack only when every stack of the earlier waves has deployed', () => {
    const wave: Record<string, number> = { 'shop-us-east-1': 1, 'shop-eu-west-1': 2, 'shop-eu-central-1': 2, 'shop-ap-southeast-2': 3 };
    expect(schedule.started.map((s) => s.stack).sort()).toEqual(['api', ...Object.keys(wave)].sort());
    for (const { stack, deployed } of schedule.started.filter((s) => s.stack.startsWith('shop-'))) {
      const earlier = Object.keys(wave).filter((s) => wave[s] < wave[stack]);
      expect([stack, earlier.every((s) => deployed.includes(s))]).toEqual([stack, true]);
    }
    expect(schedule.started.map((s) => s.stack).indexOf('shop-ap-southeast-2')).toBe(schedule.started.length - 1);
  });

  it('a failed canary stops every later wave, and no other fleet', () => {
    expect(schedule.stoppedBy).toEqual(['shop-ap-southeast-2', 'shop-eu-central-1', 'shop-eu-west-1']);
  });

  it('a later wave\'s stack alone is refused until its earlier wave is named too', () => {
    expect(schedule.aloneRefusal).toContain('The following dependencies are not included in the stacks to run: shop-us-east-1');
    expect(schedule.aloneRefusal).toContain('--ignore-missing-stack-dependencies');
  });
});

/** The CI recipe as the README gives it: the sh block after its marker comment. */
function readmeRecipe(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- the recipe that __tests__/stack-waves.test.ts runs -->');
  expect(marker).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(marker));
  return (block as RegExpExecArray)[1];
}

const hasJq = spawnSync('jq', ['--version']).status === 0;

(hasJq ? describe : describe.skip)('the README\'s CI recipe applies the stacks wave by wave (jq, with stand-ins for npx and terraform)', () => {
  /** Runs the recipe in a project of the rollout fleet and a single-layout fleet; terraform fails `apply` in `failing`. */
  function runRecipe(failing = ''): { code: number | null; calls: string[]; stdout: string } {
    const dir = workdir({
      'fleets/shop.yaml': ROLLOUT_YAML, 'fleets/api.yaml': SINGLE_YAML,
      'bin/npx': `#!/bin/sh\n[ "$1" = amifleet ] && shift && exec "${process.execPath}" "${CLI}" "$@"\nexit 127\n`,
      'bin/terraform': '#!/bin/sh\necho "$(basename "$PWD") $1" >> "$CALLS"\n[ "$1" = apply ] && [ "$(basename "$PWD")" = "$FAILING" ] && exit 1\nexit 0\n',
    });
    for (const tool of ['npx', 'terraform']) chmodSync(join(dir, 'bin', tool), 0o755);
    const calls = join(dir, 'calls.log');
    writeFileSync(calls, '');
    const r = spawnSync('bash', ['-c', readmeRecipe()], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, CALLS: calls, FAILING: failing },
    });
    expect(existsSync(join(dir, 'cdktf.out', 'manifest.json'))).toBe(true);
    return { code: r.status, calls: readFileSync(calls, 'utf8').trim().split('\n').filter((l) => l !== ''), stdout: r.stdout };
  }

  it('runs init, plan, apply in every stack, a wave only after the one before', () => {
    const { code, calls, stdout } = runRecipe();
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((l) => l.startsWith('wave '))).toEqual([
      'wave 1: api', 'wave 1: shop-us-east-1', 'wave 2: shop-eu-central-1', 'wave 2: shop-eu-west-1', 'wave 3: shop-ap-southeast-2',
    ]);
    expect(calls).toEqual(['api', 'shop-us-east-1', 'shop-eu-central-1', 'shop-eu-west-1', 'shop-ap-southeast-2']
      .flatMap((stack) => [`${stack} init`, `${stack} plan`, `${stack} apply`]));
  });

  it('stops at the first failed apply: no later stack is touched, and the exit code says so', () => {
    const { code, calls } = runRecipe('shop-eu-central-1');
    expect(code).not.toBe(0);
    expect(calls[calls.length - 1]).toBe('shop-eu-central-1 apply');
    expect(calls.some((c) => c.startsWith('shop-eu-west-1') || c.startsWith('shop-ap-southeast-2'))).toBe(false);
  });
});

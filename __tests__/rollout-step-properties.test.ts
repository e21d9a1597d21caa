import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { run } from '../cli/amifleet';
import { loadFleetFile } from '../loader/load-fleet';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { fleetRollout } from '../modules/fleet/rollout';
import { workdir } from './support/cli';
import { ROLLOUT as FIXTURE } from './support/rollout-fixture';

const IMAGES = ['ami-0aaaaaaaaaaaaaaaa', 'ami-0bbbbbbbbbbbbbbbb', 'ami-0cccccccccccccccc', 'ami-0dddddddddddddddd', 'ami-0eeeeeeeeeeeeeeee'];

type Step = { command: 'release'; ami: string; keep: number } | { command: 'promote' } | { command: 'rollback' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ command: fc.constant('release' as const), ami: fc.constantFrom(...IMAGES), keep: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ command: 'promote' as const }),
  fc.constant({ command: 'rollback' as const }),
);

/** Every comment of a text: from its `#` to the end of its line. */
const comments = (text: string): string[] => text.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')));

function validFleet(file: string): Fleet {
  const loaded = loadFleetFile(file);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.fleet as Fleet;
}

/** Runs the CLI in this process (a spawn per step would make the property slow), its output swallowed. */
async function amifleetHere(args: string[]): Promise<number> {
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run(args);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** What each region launches, by region. */
const launches = (fleet: Fleet): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(fleetRollout(fleet).regions).map(([r, s]) => [r, s.sourceImage]));

describe('release, promote and rollback in any order on the rollout fixture', () => {
  it('write only files that validate and keep every comment, each step doing what it says; a refused step leaves the file as it was', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
      const file = join(workdir({ 'shop.yaml': FIXTURE }), 'shop.yaml');
      for (const s of steps) {
        const text = readFileSync(file, 'utf8');
        const before = validFleet(file);
        const was = fleetRollout(before);
        const code = await amifleetHere(s.command === 'release' ? ['release', file, '--ami', s.ami, '--keep', String(s.keep)] : [s.command, file]);
        if (code !== 0) {
          expect(code).toBe(1);
          expect(readFileSync(file, 'utf8')).toBe(text);
          continue;
        }
        const after = validFleet(file);
        const now = fleetRollout(after);
        for (const c of comments(FIXTURE)) expect(readFileSync(file, 'utf8')).toContain(c);
        expect(now.waves).toEqual(was.waves);
        if (s.command === 'promote') {
          expect(now.promoted).toBe(was.promoted + 1);
          const moved = Object.keys(now.regions).filter((r) => launches(after)[r] !== launches(before)[r]);
          expect(moved.sort()).toEqual([...was.waves[was.promoted]].sort());
          for (const r of moved) expect(launches(after)[r]).toBe(after.source.ami);
        } else if (s.command === 'rollback') {
          expect(Object.values(launches(after)).every((image) => image === after.source.previous[0])).toBe(true);
          expect(after.source.previous[0]).not.toBe(after.source.ami);
        } else {
          expect(after.source.ami).toBe(s.ami);
          expect(after.source.previous).not.toContain(s.ami);
          expect(after.source.previous.length).toBeLessThanOrEqual(s.keep);
          for (const r of now.waves[0]) expect(launches(after)[r]).toBe(s.ami);
        }
      }
    }), { numRuns: 30 });
  });
});

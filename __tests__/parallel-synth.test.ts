import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleets } from '../loader/load-fleets';
import { synthesizeFleets } from '../cli/synthesis/synthesize';
import { amifleet, benchFleets, readTree, ROOT, workdir } from './support/cli';

// A fleet of the single layout that sets what the generated fleets leave out.
const SINGLE_LAYOUT_FLEET = `fleet: shared-images
source:
  region: eu-west-1
  ami: ami-0123456789abcdef0
regions:
  eu-west-1: { kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab" }
  eu-central-1: { kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab" }
copy:
  shareWith:
    accounts: ["444455556666"]
launchTemplate:
  instanceType: t3.micro
publish:
  ssmParameter: /amifleet/shared-images/ami-id
layout: single
`;

describe('amifleet synth on several threads', () => {
  let dir: string;
  let reference: Record<string, Buffer>;
  beforeAll(() => {
    dir = workdir();
    // Seven 17-region fleets make 119 stacks: two batches, so both threads synthesize some.
    const fleets = benchFleets(7, join(dir, 'fleets'));
    writeFileSync(join(fleets.dir, 'shared-images.yaml'), SINGLE_LAYOUT_FLEET);
    const loaded = loadFleets([fleets.dir, join(ROOT, 'fleets')]);
    expect(loaded.diagnostics).toEqual([]);
    synthesizeFleets(loaded.fleets, join(dir, 'one-app'));
    reference = readTree(join(dir, 'one-app'));
  });

  it.each([1, 2, 3])('writes the same bytes as one cdktf app holding every fleet (--jobs %i)', (jobs) => {
    const out = join(dir, `jobs-${jobs}`);
    const run = amifleet(['synth', join(dir, 'fleets'), join(ROOT, 'fleets'), '--out', out, '--jobs', String(jobs)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^synthesized 123 stacks from 9 fleets into .* in \d+\.\d s\n$/);
    const written = readTree(out);
    expect(Object.keys(written)).toEqual(Object.keys(reference));
    for (const [file, bytes] of Object.entries(reference)) expect([file, written[file].equals(bytes)]).toEqual([file, true]);
  });

  it('ends at once, writing nothing, when a file of a large directory is invalid (the worker started early is stopped)', () => {
    const fleets = join(dir, 'many-one-bad');
    benchFleets(16, fleets);
    writeFileSync(join(fleets, 'zz-broken.yaml'), 'fleet: [broken\n');
    for (const jobs of [[], ['--jobs', '2']]) {
      const started = Date.now();
      const run = amifleet(['synth', fleets, '--out', join(dir, 'not-written'), ...jobs]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/zz-broken\.yaml:\d+:\d+: .*\namifleet: 1 error in 1 file; nothing written\n$/);
      expect(existsSync(join(dir, 'not-written'))).toBe(false);
      // Generous: a worker left waiting would keep the process alive until the test's timeout.
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  });

  it('synthesizes on one thread, stopping the worker started early, when --jobs 2 meets one small fleet', () => {
    const out = join(dir, 'small-jobs-2');
    const run = amifleet(['synth', join(ROOT, 'fleets'), '--out', out, '--jobs', '2']);
    expect(run.code).toBe(0);
    expect(readTree(out)['stacks/web-eu-west-1/cdk.tf.json']).toBeDefined();
  });

  it('refuses a thread count that is not a whole number of at least 1', () => {
    for (const jobs of ['0', '-1', '1.5', 'many']) {
      const run = amifleet(['synth', join(ROOT, 'fleets'), '--out', join(dir, 'refused'), '--jobs', jobs]);
      expect([jobs, run.code]).toEqual([jobs, 2]);
      expect(run.stderr).toMatch(/--jobs/);
    }
  });
});

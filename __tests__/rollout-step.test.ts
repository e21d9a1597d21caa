import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { amifleet, ROOT, VALID_YAML, workdir, type CliRun } from './support/cli';
import { ROLLOUT as FIXTURE } from './support/rollout-fixture';

const A = 'ami-0aaaaaaaaaaaaaaaa';
const B = 'ami-0bbbbbbbbbbbbbbbb';
const C = 'ami-0cccccccccccccccc';
const D = 'ami-0dddddddddddddddd';

/** A fleet file in a fresh directory, and a way to run a step on it and read it back. */
function fleetFile(text: string, name = 'web.yaml'): { file: string; run: (...args: string[]) => CliRun; text: () => string } {
  const dir = workdir({ [name]: text });
  const file = join(dir, name);
  return {
    file,
    run: (command, ...args) => amifleet([command, file, ...args], dir),
    text: () => readFileSync(file, 'utf8'),
  };
}

/** The lines of `after` that differ from those of `before`, as [line number, before, after]; both texts have the same number of lines. */
function changedLines(before: string, after: string): [number, string, string][] {
  const was = before.split('\n');
  const now = after.split('\n');
  expect(now).toHaveLength(was.length);
  return was.flatMap((line, i) => (line === now[i] ? [] : [[i + 1, line, now[i]] as [number, string, string]]));
}

/** The printed table: rows split into columns at runs of two or more spaces. */
function table(stdout: string): string[][] {
  const block = stdout.split('\n\n')[1];
  return block.trimEnd().split('\n').map((l) => l.trimEnd().split(/ {2,}/));
}

const COMMENTED = `# Web tier
fleet: web

# where the image comes from
source:
  region: us-east-1
  # the release
  ami: ami-0aaaaaaaaaaaaaaaa   # built 2026-11-02
  previous:
    - ami-0bbbbbbbbbbbbbbbb   # 2026-10-01
    - ami-0cccccccccccccccc   # 2026-09-01
  # end of source

rollout:
  waves:
    - [us-east-1]   # canary
    - ["*"]
  promoted: 2       # everywhere

regions:
  us-east-1: {}
  eu-west-1: {}
launchTemplate:
  instanceType: t3.micro
`;

describe('amifleet release', () => {
  it('changes source.ami, source.previous and rollout.promoted in place, every comment and blank line kept', () => {
    const f = fleetFile(COMMENTED);
    const r = f.run('release', '--ami', D);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(f.text()).toBe(COMMENTED
      .replace('  ami: ami-0aaaaaaaaaaaaaaaa   # built', '  ami: ami-0dddddddddddddddd   # built')
      .replace('    - ami-0bbbbbbbbbbbbbbbb   # 2026-10-01\n    - ami-0cccccccccccccccc   # 2026-09-01\n',
        '    - ami-0aaaaaaaaaaaaaaaa\n    - ami-0bbbbbbbbbbbbbbbb   # 2026-10-01\n')
      .replace('  promoted: 2       # everywhere', '  promoted: 1       # everywhere'));
    expect(r.stdout).toContain(`dropped ${C} from source.previous (--keep 2): its copies are destroyed at the next apply\n`);
    expect(amifleet(['validate', f.file]).code).toBe(0);
  });

  it('on the rollout fixture changes exactly the lines of the fields it sets, and says per region what it launches', () => {
    const f = fleetFile(FIXTURE);
    const r = f.run('release', '--ami', C);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(changedLines(FIXTURE, f.text())).toEqual([
      [11, `  ami: ${A}         # golden-web-2026.11.2, the release being rolled out`, `  ami: ${C}         # golden-web-2026.11.2, the release being rolled out`],
      [12, `  previous: [${B}]  # golden-web-2026.10.1`, `  previous: [${A}, ${B}]  # golden-web-2026.10.1`],
    ]);
    expect(r.stdout.split('\n')[0]).toBe(`${f.file}: release changed source.ami, source.previous, rollout.promoted`);
    expect(table(r.stdout)).toEqual([
      ['REGION', 'WAVE', 'BEFORE', 'AFTER'],
      ['us-east-1', '1', A, C, '<- changes'],
      ['eu-west-1', '2', B, A, '<- changes'],
      ['eu-central-1', '2', B, A, '<- changes'],
      ['ap-southeast-2', '3', B, A, '<- changes'],
    ]);
    // The fixture was mid-rollout: waves 2 and 3 now launch what only the canary did.
    expect(r.stdout).toContain(`waves 2-3 had not been promoted to ${A} yet; as source.previous[0] they launch it now\n`);
    expect(r.stdout).toMatch(new RegExp(`\nnext: synth, then plan and apply every stack, wave 1 first \\(shop-us-east-1\\): every region copies ${C}, wave 1 launches it; then amifleet promote ${f.file}\n$`));
  });

  it('cuts source.previous to --keep images, and removes a re-released image from it', () => {
    const f = fleetFile(COMMENTED);
    const r = f.run('release', '--ami', C, '--keep', '1');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(parse(f.text()).source).toEqual({ region: 'us-east-1', ami: C, previous: [A] });
    expect(r.stdout).toContain(`${C} was in source.previous: it is the release again, so it left source.previous\n`);
    expect(r.stdout).toContain(`dropped ${B} from source.previous (--keep 1): its copies are destroyed at the next apply\n`);
  });

  it('adds source.previous right after source.ami when the fleet has none, and no rollout to a fleet of one wave', () => {
    const f = fleetFile(VALID_YAML);
    const r = f.run('release', '--ami', D);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(f.text()).toBe(VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', `  ami: ${D}\n  previous: [ami-0123456789abcdef0]\n`));
    expect(table(r.stdout)).toEqual([
      ['REGION', 'WAVE', 'BEFORE', 'AFTER'],
      ['eu-west-1', '1', 'ami-0123456789abcdef0', D, '<- changes'],
      ['us-east-1', '1', 'ami-0123456789abcdef0', D, '<- changes'],
    ]);
    expect(r.stdout).toContain(`next: synth, then plan and apply every stack: every region copies and launches ${D}\n`);
  });

  it('pins the bundled example: its lookup becomes source.ami, and the suppression it needed no more goes with its lines', () => {
    const example = readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8');
    const dir = workdir({ 'fleets/web.yaml': example, 'templates/user-data/service.sh.hbs': readFileSync(join(ROOT, 'templates', 'user-data', 'service.sh.hbs'), 'utf8') });
    const r = amifleet(['release', 'fleets/web.yaml', '--ami', D], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('suppress.unpinned-source-across-stacks is removed: a pinned source has nothing to warn about there\n');
    const suppressAt = example.indexOf('\nsuppress:');
    expect(suppressAt).toBeGreaterThan(0);
    const lookup = /  lookup:\n(    .*\n)+/.exec(example)![0];
    // Everything else is as written: the blank line before suppress went with it, at the end of the file.
    expect(readFileSync(join(dir, 'fleets', 'web.yaml'), 'utf8')).toBe(example.slice(0, example.lastIndexOf('\n', suppressAt - 1) + 1).replace(lookup, `  ami: ${D}\n`));
    const strict = amifleet(['validate', '--strict', 'fleets'], dir);
    expect([strict.code, strict.stderr]).toEqual([0, '']);
  });

  it('pins a source whose suppress holds other entries: only the unpinned-source entry goes', () => {
    const text = `${VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', '  lookup:\n    owners: [amazon]\n')}suppress:\n  unpinned-source-across-stacks: follows the newest\n  imdsv2-optional: legacy agents\n`;
    const f = fleetFile(text);
    const r = f.run('release', '--ami', D);
    expect(r.code).toBe(0);
    expect(f.text()).toBe(text.replace('  lookup:\n    owners: [amazon]\n', `  ami: ${D}\n`).replace('  unpinned-source-across-stacks: follows the newest\n', ''));
  });

  it('pins a lookup source: source.ami takes its place and nothing goes to source.previous', () => {
    const text = VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', '  lookup:   # the newest AL2023\n    owners: [amazon]\n    name: al2023-ami-2023.*-x86_64\n');
    const f = fleetFile(text);
    const r = f.run('release', '--ami', D);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(f.text()).toBe(VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', `  ami: ${D}\n`));
    expect(r.stdout).toContain(`source.lookup is replaced by source.ami: the fleet is pinned to ${D}; nothing went to source.previous, since the lookup named no fixed image\n`);
    expect(table(r.stdout)[1]).toEqual(['eu-west-1', '1', 'lookup at plan', D, '<- changes']);
  });

  it('keeps a flow-style source and a JSON file as they are written', () => {
    const flow = fleetFile(VALID_YAML.replace('source:\n  region: us-east-1\n  ami: ami-0123456789abcdef0\n', 'source: {region: us-east-1, ami: ami-0123456789abcdef0}   # pinned\n'));
    expect(flow.run('release', '--ami', D).code).toBe(0);
    expect(flow.text()).toContain(`\nsource: {region: us-east-1, ami: ${D}, previous: [ami-0123456789abcdef0]}   # pinned\n`);
    const json = JSON.stringify(parse(VALID_YAML), null, 2);
    const j = fleetFile(json, 'web.json');
    expect(j.run('release', '--ami', D).code).toBe(0);
    expect(j.text()).toBe(json.replace('"ami": "ami-0123456789abcdef0"', `"ami": "${D}",\n    "previous": ["ami-0123456789abcdef0"]`));
    expect(JSON.parse(j.text()).source).toEqual({ region: 'us-east-1', ami: D, previous: ['ami-0123456789abcdef0'] });
  });

  it('keeps CRLF line ends, a document start marker, the file mode, and edits the target of a link', () => {
    const f = fleetFile(`---\r\n${VALID_YAML.replace(/\n/g, '\r\n')}`);
    chmodSync(f.file, 0o640);
    const link = join(f.file, '..', 'link.yaml');
    symlinkSync(f.file, link);
    const r = amifleet(['release', link, '--ami', D]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(f.text()).toBe(`---\r\n${VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', `  ami: ${D}\n  previous: [ami-0123456789abcdef0]\n`).replace(/\n/g, '\r\n')}`);
    expect(statSync(f.file).mode & 0o777).toBe(0o640);
    expect(statSync(link, { throwIfNoEntry: true }).isFile()).toBe(true);
  });

  it('refuses the image that is already the release: exit 1, file untouched', () => {
    const f = fleetFile(FIXTURE);
    const before = statSync(f.file).mtimeMs;
    const r = f.run('release', '--ami', A);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`amifleet release: ${A} is already the release (source.ami); ${f.file} unchanged\n`);
    expect(r.stdout).toBe('');
    expect(f.text()).toBe(FIXTURE);
    expect(statSync(f.file).mtimeMs).toBe(before);
  });

  it.each([
    [[], 'amifleet release: --ami is required: the id of the new source image (ami-...)'],
    [['--ami', 'ami-123'], 'amifleet release: --ami "ami-123" is not an AMI id (ami- followed by 8 or 17 hex digits)'],
    [['--ami', D, '--keep', '0'], 'amifleet release: --keep "0" must be a whole number of images, at least 1 (the one a rollback goes back to)'],
    [['--ami', D, '--keep', 'two'], 'amifleet release: --keep "two" must be a whole number of images, at least 1 (the one a rollback goes back to)'],
  ])('is a usage error (exit 2, one line, file untouched) with %j', (args, line) => {
    const f = fleetFile(FIXTURE);
    const r = f.run('release', ...args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `${line}\n`, '']);
    expect(f.text()).toBe(FIXTURE);
  });
});

describe('amifleet promote and rollback', () => {
  it('promote lets the next wave launch source.ami, changing only rollout.promoted', () => {
    const f = fleetFile(FIXTURE);
    const r = f.run('promote');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(changedLines(FIXTURE, f.text())).toEqual([[19, '  promoted: 1', '  promoted: 2']]);
    expect(table(r.stdout)).toEqual([
      ['REGION', 'WAVE', 'BEFORE', 'AFTER'],
      ['us-east-1', '1', A, A],
      ['eu-west-1', '2', B, A, '<- changes'],
      ['eu-central-1', '2', B, A, '<- changes'],
      ['ap-southeast-2', '3', B, B],
    ]);
    expect(r.stdout).toContain(`next: synth, then plan and apply wave 2's stacks (shop-eu-west-1, shop-eu-central-1); then amifleet promote ${f.file}\n`);
  });

  it('promote when every wave launches source.ami: exit 1, file untouched', () => {
    for (const text of [FIXTURE.replace('  promoted: 1\n', '  promoted: 3\n'), FIXTURE.replace('  promoted: 1\n', ''), VALID_YAML]) {
      const f = fleetFile(text);
      const r = f.run('promote');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^amifleet promote: nothing to promote: every wave launches ami-0\w+; .*web\.yaml unchanged\n$/);
      expect(f.text()).toBe(text);
    }
  });

  it('rollback puts every wave on source.previous[0]', () => {
    const f = fleetFile(FIXTURE);
    const r = f.run('rollback');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(changedLines(FIXTURE, f.text())).toEqual([[19, '  promoted: 1', '  promoted: 0']]);
    expect(table(r.stdout).slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['us-east-1', '1', A, B], ['eu-west-1', '2', B, B], ['eu-central-1', '2', B, B], ['ap-southeast-2', '3', B, B],
    ]);
    expect(r.stdout).toContain(`next: synth, then plan and apply wave 1's stacks (shop-us-east-1): they go back to ${B}; once a fixed image is built, amifleet release ${f.file} --ami <its id>\n`);
  });

  it('rollback adds a rollout section after source to a fleet that has none', () => {
    const text = VALID_YAML.replace('  ami: ami-0123456789abcdef0\n', `  ami: ${A}\n  previous: [${B}]\n`);
    const f = fleetFile(text);
    expect(f.run('rollback').code).toBe(0);
    expect(f.text()).toBe(text.replace(`  previous: [${B}]\n`, `  previous: [${B}]\nrollout:\n  promoted: 0\n`));
  });

  it('rollback refuses without source.previous, and when already rolled back: exit 1, file untouched', () => {
    const none = fleetFile(VALID_YAML);
    const r = none.run('rollback');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`amifleet rollback: source.previous is empty, so there is no earlier image to go back to (amifleet release keeps the image it replaces there); ${none.file} unchanged\n`);
    expect(none.text()).toBe(VALID_YAML);
    const done = FIXTURE.replace('  promoted: 1\n', '  promoted: 0\n');
    const f = fleetFile(done);
    expect(f.run('rollback').stderr).toBe(`amifleet rollback: nothing to roll back: every wave launches ${B} (source.previous[0]); ${f.file} unchanged\n`);
    expect(f.text()).toBe(done);
  });

  it('release after a rollback keeps the later waves where they are and drops the rolled-back image', () => {
    const f = fleetFile(FIXTURE.replace('  promoted: 1\n', '  promoted: 0\n'));
    const r = f.run('release', '--ami', C);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(parse(f.text()).source.previous).toEqual([B]);
    expect(table(r.stdout).slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['us-east-1', '1', B, C], ['eu-west-1', '2', B, B], ['eu-central-1', '2', B, B], ['ap-southeast-2', '3', B, B],
    ]);
    expect(r.stdout).toContain(`${A} was rolled back everywhere (promoted: 0), so it does not go to source.previous and its copies are destroyed at the next apply; the waves after the canary stay on ${B}\n`);
  });
});

/** The fixture's line (from 1) of launchTemplate.instanceType. */
const INSTANCE_TYPE_LINE = FIXTURE.split('\n').indexOf('  instanceType: t3.small') + 1;

describe('release, promote and rollback on files they cannot change', () => {
  it.each(['release', 'promote', 'rollback'])('%s: a missing file or a directory is a usage error (exit 2, one line)', (command) => {
    const dir = workdir({});
    const args = command === 'release' ? ['--ami', D] : [];
    const missing = amifleet([command, join(dir, 'nope.yaml'), ...args], dir);
    expect([missing.code, missing.stderr]).toEqual([2, `amifleet ${command}: ${join(dir, 'nope.yaml')}: cannot read: no such file\n`]);
    mkdirSync(join(dir, 'fleets'));
    const folder = amifleet([command, join(dir, 'fleets'), ...args], dir);
    expect([folder.code, folder.stderr]).toEqual([2, `amifleet ${command}: ${join(dir, 'fleets')}: is a directory; give one fleet file\n`]);
  });

  it.each(['release', 'promote', 'rollback'])('%s: a fleet file with errors is refused with its errors (exit 1, file untouched)', (command) => {
    const text = FIXTURE.replace('  instanceType: t3.small', '  instanceType: t3.smal');
    const f = fleetFile(text);
    const r = f.run(command, ...(command === 'release' ? ['--ami', D] : []));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f.file}:${INSTANCE_TYPE_LINE}:17: launchTemplate.instanceType: unknown EC2 instance type "t3.smal"`);
    expect(r.stderr).toContain(`amifleet ${command}: 1 error in ${f.file}; fix them first (amifleet validate ${f.file}); nothing changed\n`);
    expect(f.text()).toBe(text);
  });

  it('a file of two YAML documents is refused as validate refuses it', () => {
    const text = `${VALID_YAML}---\nfleet: other\n`;
    const f = fleetFile(text);
    const r = f.run('promote');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holds more than one YAML document (---); a fleet file is one document');
    expect(f.text()).toBe(text);
  });
});

describe('release -> promote -> promote -> rollback on the rollout fixture', () => {
  const f = fleetFile(FIXTURE, 'shop.yaml');
  const steps: [string[], (fleet: { source: { ami: string; previous: string[] }; rollout: { promoted: number } }) => void][] = [
    [['release', '--ami', C], (fleet) => expect([fleet.source, fleet.rollout.promoted]).toEqual([{ region: 'us-east-1', ami: C, previous: [A, B] }, 1])],
    [['promote'], (fleet) => expect(fleet.rollout.promoted).toBe(2)],
    [['promote'], (fleet) => expect(fleet.rollout.promoted).toBe(3)],
    [['rollback'], (fleet) => expect([fleet.source.ami, fleet.source.previous[0], fleet.rollout.promoted]).toEqual([C, A, 0])],
  ];
  it.each(steps.map(([args, check], i) => [i + 1, args.join(' '), args, check] as const))('step %i, %s: the fields it sets, a file that validates, comments kept', (_, __, args, check) => {
    const before = f.text();
    const r = f.run(...(args as [string, ...string[]]));
    expect([r.code, r.stderr]).toEqual([0, '']);
    check(parse(f.text()));
    expect(amifleet(['validate', '--strict', f.file]).code).toBe(0);
    const comments = (text: string): string[] => text.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')));
    expect(comments(f.text())).toEqual(comments(before));
    expect(changedLines(before, f.text()).length).toBeLessThanOrEqual(args[0] === 'release' ? 3 : 1);
  });
});

describe('a step whose result is invalid', () => {
  it('release of a fleet with an adopted image: the result breaks a rule, so exit 1 with its position and the file untouched', () => {
    const text = [
      'fleet: legacy', 'source:', '  region: us-east-1', `  ami: ${A}`, 'regions:', '  us-east-1:', '    adopt:', `      image: ${B}`,
      'launchTemplate:', '  instanceType: t3.small', '',
    ].join('\n');
    const f = fleetFile(text);
    const r = f.run('release', '--ami', C);
    expect(r.code).toBe(1);
    // Line 9 of the text release would write: it adds source.previous under source.ami.
    expect(r.stderr).toContain(`${f.file}:9:14: regions.us-east-1.adopt.image: us-east-1 launches this image as is, whatever its wave`);
    expect(r.stderr).toContain(`amifleet release: 1 error in ${f.file} as release would write it (positions are in that text, not in the file); nothing changed\n`);
    expect(f.text()).toBe(text);
  });

  it('prints the errors at their positions in the text it would write, exits 1 and writes nothing', async () => {
    const { runRolloutStep } = await import('../cli/rollout-step');
    const { Exit } = await import('../cli/exit');
    const dir = workdir({ 'web.yaml': FIXTURE });
    const file = join(dir, 'web.yaml');
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
    let exit: unknown;
    try {
      // A line added above launchTemplate moves it down one line in the new text.
      runRolloutStep('promote', file, (_fleet, edit) => {
        edit.set(['tags', 'owner'], 'shop-team');
        edit.set(['launchTemplate', 'instanceType'], 't3.smal');
        return { notes: [] };
      });
    } catch (e) {
      exit = e;
    } finally {
      spy.mockRestore();
    }
    expect(exit).toBeInstanceOf(Exit);
    expect((exit as InstanceType<typeof Exit>).code).toBe(1);
    expect(stderr.join('')).toContain(`${file}:${INSTANCE_TYPE_LINE + 1}:17: launchTemplate.instanceType: unknown EC2 instance type "t3.smal"`);
    expect(stderr.join('')).toContain(`amifleet promote: 1 error in ${file} as promote would write it (positions are in that text, not in the file); nothing changed\n`);
    expect(readFileSync(file, 'utf8')).toBe(FIXTURE);
  });
});

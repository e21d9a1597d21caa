import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLEET_FILE } from '../loader/discover';
import { amifleet, workdir, type CliRun } from './support/cli';

const DIR = join(__dirname, 'fixtures', 'invalid');
const FIXTURES = readdirSync(DIR).filter((n) => FLEET_FILE.test(n)).sort();

/** The `# expect: line:col path: message` lines of a fixture's header, as the CLI prints them. */
function expectedErrors(name: string): string[] {
  const file = join(DIR, name);
  return readFileSync(file, 'utf8').split('\n')
    .map((l) => /^# expect: (\d+:\d+) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${file}:${m[1]}: ${m[2]}`);
}

describe('invalid fleet files (__tests__/fixtures/invalid, one kind of mistake each)', () => {
  let out: string;
  let run: CliRun;
  beforeAll(() => {
    out = join(workdir(), 'cdktf.out');
    run = amifleet(['synth', DIR, '--out', out]);
  });

  it('cover at least 30 kinds of mistake', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(30);
  });

  it('make synth exit 1, write nothing and print no stack trace', () => {
    expect(run.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stdout).toBe('');
  });

  it('are every error printed, and each fixture is counted', () => {
    const total = FIXTURES.reduce((n, name) => n + expectedErrors(name).length, 0);
    expect(run.stderr.trimEnd().split('\n').pop()).toBe(`amifleet: ${total} errors in ${FIXTURES.length} files; nothing written`);
  });

  it.each(FIXTURES)('%s: exactly the errors its header declares, as file:line:col: path: message', (name) => {
    const expected = expectedErrors(name);
    expect(expected.length).toBeGreaterThan(0);
    const printed = run.stderr.split('\n').filter((l) => l.startsWith(`${join(DIR, name)}:`));
    expect(printed).toEqual(expected);
  });
});

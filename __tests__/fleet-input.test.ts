import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FLEET_FILE_BYTES } from '../loader/load-fleet';
import { amifleet, VALID_YAML, workdir, type CliRun } from './support/cli';

describe('a directory mixing a good fleet file with unreadable and hostile ones', () => {
  let dir: string;
  let run: CliRun;
  const at = (name: string) => `${join(dir, 'fleets', name)}:1:1: `;
  beforeAll(() => {
    dir = workdir({
      'fleets/good.yaml': VALID_YAML,
      'fleets/empty.yaml': '',
      'fleets/huge.yaml': `# ${'x'.repeat(MAX_FLEET_FILE_BYTES)}\n`,
      'fleets/deep.yaml': `fleet: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    });
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'fleets', 'dangling.yaml'));
    mkdirSync(join(dir, 'fleets', 'folder.yaml'));
    execFileSync('mkfifo', [join(dir, 'fleets', 'pipe.yaml')]);
    run = amifleet(['synth', join(dir, 'fleets'), '--out', join(dir, 'out')]);
  });

  it('exits 1 and writes nothing, not even for the good file', () => {
    expect(run.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(run.stderr).toMatch(/amifleet: 6 errors in 6 files; nothing written\n$/);
  });

  it('reports each bad file at line 1 with what is wrong with it, and no stack trace', () => {
    expect(run.stderr).toContain(`${at('dangling.yaml')}cannot read: no such file`);
    expect(run.stderr).toContain(`${at('empty.yaml')}is empty: a fleet needs at least fleet, source, regions and launchTemplate`);
    expect(run.stderr).toContain(`${at('folder.yaml')}is a directory, not a fleet file`);
    expect(run.stderr).toContain(`${at('huge.yaml')}is ${MAX_FLEET_FILE_BYTES + 3} bytes; a fleet file may be at most ${MAX_FLEET_FILE_BYTES} bytes`);
    expect(run.stderr).toContain(`${at('pipe.yaml')}is not a regular file (a FIFO, device or socket), not a fleet file`);
    expect(run.stderr).toMatch(new RegExp(`${join(dir, 'fleets', 'deep\\.yaml')}:1:\\d+: nests too deeply to read`));
    expect(run.stderr).not.toContain('good.yaml');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('paths given on the command line', () => {
  it('a dangling symlink, a missing file and a device: exit 1, each reported', () => {
    const dir = workdir();
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'link.yaml'));
    const r = amifleet(['validate', join(dir, 'link.yaml'), join(dir, 'missing.yaml'), '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      '/dev/zero:1:1: is not a regular file (a FIFO, device or socket), not a fleet file',
      `${join(dir, 'link.yaml')}:1:1: cannot read: no such file`,
      `${join(dir, 'missing.yaml')}:1:1: cannot read: no such file`,
    ]);
  });

  it('a directory without fleet files: exit 1', () => {
    const dir = workdir({ 'notes.txt': 'not a fleet' });
    const r = amifleet(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}:1:1: no fleet files (*.yaml, *.yml, *.json) found`);
  });

  it('a symlink to a good fleet file is read like the file', () => {
    const dir = workdir({ 'web.yaml': VALID_YAML });
    symlinkSync(join(dir, 'web.yaml'), join(dir, 'link.yaml'));
    expect(amifleet(['validate', join(dir, 'link.yaml')])).toMatchObject({ code: 0, stdout: '1 fleet valid\n' });
  });
});

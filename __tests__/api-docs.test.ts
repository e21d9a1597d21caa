import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, workdir } from './support/cli';

const COMMITTED = join(ROOT, 'docs', 'api');

function markdownFiles(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return [relative(dir, path), readFileSync(path, 'utf8')];
  }));
}

// One typedoc run (the cost of this suite): the same config as `npm run api-docs`, into a temp dir.
describe('the API reference in docs/api', () => {
  let run: { code: number | null; output: string };
  let generated: Map<string, string>;
  beforeAll(() => {
    const out = join(workdir(), 'api');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    run = { code: r.status, output: `${r.stdout}${r.stderr}` };
    generated = r.status === 0 ? markdownFiles(out) : new Map();
  });

  it('generates, so every fleet type and field has TSDoc and every optional field its @default', () => {
    expect(run.output).not.toMatch(/\[error\]/);
    expect(run.code).toBe(0);
  });

  it('is what npm run api-docs writes now (run it after changing TSDoc or exports)', () => {
    const committed = markdownFiles(COMMITTED);
    const stale = [...new Set([...committed.keys(), ...generated.keys()])].sort()
      .filter((file) => committed.get(file) !== generated.get(file))
      .map((file) => `docs/api/${file}: ${!committed.has(file) ? 'missing' : !generated.has(file) ? 'no longer generated' : 'out of date'}`);
    expect(stale).toEqual([]);
    expect(committed.get('interfaces/FleetInput.md')).toContain('Names stacks and resources');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from './support/cli';

// dist/cli/amifleet.js and synth-worker.js run their bundles through cli/synthesis/code-cache.ts. These
// tests run it on a small bundle of their own, so the CLI's cache is never touched.
const CODE_CACHE = join(ROOT, 'dist', 'cli', 'synthesis', 'code-cache.js');

function bundleDir(): string {
  const dir = workdir({
    'lib/helper.js': 'module.exports = (x) => x * 2;\n',
    'app.bundle.js': [
      '#!/usr/bin/env node',
      "const helper = require('./lib/helper');",
      'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += helper(i); return s; }',
      'if (require.main === module) {',
      "  process.stdout.write(JSON.stringify({ main: true, dirname: __dirname, filename: __filename, work: work(10), resolved: require.resolve('./lib/helper') }));",
      '}',
    ].join('\n'),
  });
  return dir;
}

/** Runs the bundle as the CLI launcher does; returns what it printed. */
function run(dir: string): { main: boolean; dirname: string; filename: string; work: number; resolved: string } {
  const script = `const b = require(${JSON.stringify(CODE_CACHE)}).runBundle(${JSON.stringify(join(dir, 'app.bundle.js'))}); process.once('exit', () => b.saveCodeCache());`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

function cacheFile(dir: string): string {
  return join(dir, '.code-cache', `app.bundle.js.${process.version}.${process.arch}.bin`);
}

describe('runBundle (the CLI launchers\' code cache)', () => {
  it('runs the bundle as the main module, beside its own files', () => {
    const dir = bundleDir();
    expect(run(dir)).toEqual({
      main: true, dirname: dir, filename: join(dir, 'app.bundle.js'), work: 90, resolved: join(dir, 'lib', 'helper.js'),
    });
  });

  it('saves the cache after the first run and reads it, unchanged, after that', () => {
    const dir = bundleDir();
    expect(existsSync(cacheFile(dir))).toBe(false);
    run(dir);
    const first = statSync(cacheFile(dir));
    expect(first.size).toBeGreaterThan(0);
    expect(run(dir).work).toBe(90);
    expect(statSync(cacheFile(dir)).mtimeMs).toBe(first.mtimeMs);
  });

  it('runs as well with a damaged cache, and replaces it', () => {
    const dir = bundleDir();
    run(dir);
    writeFileSync(cacheFile(dir), 'not a code cache');
    expect(run(dir).work).toBe(90);
    expect(readFileSync(cacheFile(dir), 'utf8')).not.toBe('not a code cache');
  });

  it('runs without a cache where it cannot write one', () => {
    const dir = bundleDir();
    // A file where the cache directory would go: no cache can be written (root or not).
    writeFileSync(join(dir, '.code-cache'), '');
    expect(run(dir).work).toBe(90);
    expect(run(dir).work).toBe(90);
    expect(readFileSync(join(dir, '.code-cache'), 'utf8')).toBe('');
  });
});

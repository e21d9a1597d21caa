import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { amifleet, readTree, ROOT, workdir } from './support/cli';

interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly keywords?: readonly string[];
  readonly bin?: Record<string, string>;
  readonly main?: string;
  readonly types?: string;
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** What `npm pack` would put in the tarball of the package in `dir` (its build scripts not run: npm test built it). */
function packed(dir: string): PackedPackage {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack --dry-run exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as PackedPackage[])[0];
}

const manifestIn = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Paths a package must never ship: the repository's tests, benchmark, CI, scratch space and the other package. */
const NOT_SHIPPED = /^(__tests__|bench|\.ci|scratch|packages|fleets|cdktf\.out|node_modules)\/|^dist\/cli\/\.code-cache\/|\.tsbuildinfo$|\.tgz$/;

/** The files a source map names that are neither in `shipped` nor inside the map (sourcesContent). */
function missingSources(dir: string, map: string, shipped: ReadonlySet<string>): string[] {
  const parsed = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sourceRoot?: string; sources: string[]; sourcesContent?: (string | null)[] };
  return parsed.sources
    .filter((_, i) => typeof parsed.sourcesContent?.[i] !== 'string')
    .map((s) => posix.normalize(posix.join(posix.dirname(map), parsed.sourceRoot ?? '', s)))
    .filter((s) => !shipped.has(s));
}

describe('the amifleet package (npm pack)', () => {
  let pack: PackedPackage;
  let shipped: Set<string>;
  const manifest = manifestIn(ROOT);
  beforeAll(() => {
    pack = packed(ROOT);
    shipped = new Set(pack.files.map((f) => f.path));
  });

  it('is publishable: not private, Apache-2.0 with the whole license text, keywords a cdktf user searches for', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe('Apache-2.0');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('limitations under the License.');
    expect(manifest.keywords).toEqual(expect.arrayContaining(['cdktf', 'cdktf-construct', 'aws', 'ami', 'launch-template', 'terraform']));
  });

  it('takes cdktf, constructs and the AWS provider from the app (peers), and pins them only for the repository', () => {
    expect(manifest.peerDependencies).toEqual({ cdktf: '^0.21', constructs: '^10.4', '@cdktf/provider-aws': '^21' });
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      expect(manifest.dependencies?.[name]).toBeUndefined();
      const pinned = manifest.devDependencies?.[name] ?? '';
      expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
      expect(`${pinned}.`.startsWith(`${range.slice(1)}.`)).toBe(true);
    }
    for (const range of Object.values(manifest.dependencies ?? {})) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it('ships the library, the CLI, templates, the schema, README, CHANGELOG and LICENSE', () => {
    const templates = Object.keys(readTree(join(ROOT, 'templates'))).map((f) => `templates/${f.split('\\').join('/')}`);
    expect([...shipped]).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'fleet.schema.json', ...templates,
      'dist/modules/index.js', 'dist/modules/index.d.ts', 'dist/loader/load-fleets.js', 'dist/loader/load-fleets.d.ts',
      'dist/cli/amifleet.js', 'dist/cli/amifleet.bundle.js', 'dist/cli/synth-worker.js', 'dist/cli/synth-worker.bundle.js',
      'dist/cli/synthesis/code-cache.js',
    ]));
  });

  it('every entry point it declares (main, types, bin, exports) is in it', () => {
    const exported = Object.values(manifest.exports ?? {}).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)));
    expect(Object.keys(manifest.exports ?? {})).toContain('./fleet.schema.json');
    for (const target of [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {}), ...exported]) {
      expect(shipped).toContain(posix.normalize(target ?? ''));
    }
  });

  it('ships nothing of the repository\'s tests, benchmark or CI', () => {
    expect([...shipped].filter((f) => NOT_SHIPPED.test(f))).toEqual([]);
  });

  it('every source map it ships comes with the sources it names', () => {
    const maps = [...shipped].filter((f) => f.endsWith('.map'));
    expect(maps).toContain('dist/modules/index.js.map');
    expect(maps.flatMap((m) => missingSources(ROOT, m, shipped))).toEqual([]);
  });

  it('every relative link in README.md leads to a file in the package', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? m[2]);
    const relative = targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => posix.normalize(t.replace(/#.*$/, '')));
    expect(targets.length).toBeGreaterThan(10);
    expect(relative.filter((t) => !shipped.has(t))).toEqual([]);
  });
});

describe('the amifleet-cli package: the CLI alone, built by scripts/build-cli-package.js', () => {
  let pack: PackedPackage;
  let manifest: Manifest;
  let alone: string;
  let project: string;
  let synth: ReturnType<typeof amifleet>;
  beforeAll(() => {
    const built = workdir();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli-package.js'), built], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-cli-package exited ${r.status}: ${r.stderr}`);
    pack = packed(built);
    manifest = manifestIn(built);
    // Only what the tarball holds, in a folder with no node_modules above it.
    alone = workdir();
    for (const f of pack.files) cpSync(join(built, f.path), join(alone, f.path));
    project = workdir({ 'fleets/web.yaml': readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8') });
    const run = spawnSync(process.execPath, [join(alone, 'dist', 'cli', 'amifleet.js'), 'synth', 'fleets', '--out', 'alone.out'], { cwd: project, encoding: 'utf8' });
    synth = { code: run.status, stdout: run.stdout, stderr: run.stderr };
  });

  it('has no dependencies of any kind, and the library\'s version', () => {
    expect(manifest).toMatchObject({ name: 'amifleet-cli', version: manifestIn(ROOT).version, license: 'Apache-2.0', bin: { amifleet: 'dist/cli/amifleet.js' } });
    expect([manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]).toEqual([undefined, undefined, undefined]);
  });

  it('holds the bundles and their launchers, templates, the schema, README, CHANGELOG and LICENSE, and no source maps', () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'fleet.schema.json', 'templates/scaffold/fleet.yaml.hbs', 'templates/user-data/service.sh.hbs',
      'dist/cli/amifleet.js', 'dist/cli/amifleet.bundle.js', 'dist/cli/synth-worker.js', 'dist/cli/synth-worker.bundle.js', 'dist/cli/synthesis/code-cache.js',
    ]));
    expect(paths.filter((f) => f.endsWith('.map') || NOT_SHIPPED.test(f))).toEqual([]);
  });

  it('synthesizes the example fleet with nothing installed, the same bytes as the library\'s CLI', () => {
    expect(synth).toMatchObject({ code: 0, stderr: '' });
    expect(amifleet(['synth', 'fleets', '--out', 'library.out'], project).code).toBe(0);
    const alonesOutput = readTree(join(project, 'alone.out'));
    expect(Object.keys(alonesOutput)).toContain(join('stacks', 'web-eu-west-1', 'cdk.tf.json'));
    expect(alonesOutput).toEqual(readTree(join(project, 'library.out')));
  });
});

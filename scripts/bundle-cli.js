#!/usr/bin/env node
'use strict';
// Bundles the CLI (and its synth worker) into one file each, dist/cli/*.bundle.js, and puts
// in place of tsc's dist/cli/amifleet.js, and as dist/cli/synth-worker.js, the launchers that run
// them with V8's code cache (cli/synthesis/code-cache.ts). Node.js then reads, resolves and
// compiles one file instead of ~600 modules (the provider bindings alone carry MBs of inline
// source maps), which is most of a small synth's time; whitespace and syntax are minified (names
// kept, for stack traces), since compiling the bundle is most of what is left.
const { build } = require('esbuild');
const { chmodSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

/** cdktf loads archiver only to zip TerraformAsset directories; amifleet never creates one. */
const leaveOutArchiver = {
  name: 'leave-out-archiver',
  setup(b) {
    b.onResolve({ filter: /^archiver$/ }, (args) => (args.importer.includes(`${join('node_modules', 'cdktf')}`) ? { path: 'archiver', namespace: 'left-out' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents: 'module.exports = () => { throw new Error("the amifleet CLI bundle leaves out archiver: TerraformAsset is not supported"); };',
      loader: 'js',
    }));
  },
};

/**
 * cdktf writes cdk.tf.json and manifest.json with json-stable-stringify; in the bundle it gets
 * cli/synthesis/stable-stringify.ts instead, the same text in half the time (see there).
 */
const fasterStableStringify = {
  name: 'faster-stable-stringify',
  setup(b) {
    b.onResolve({ filter: /^json-stable-stringify$/ }, (args) => (args.importer.includes(`${join('node_modules', 'cdktf')}`)
      ? { path: join(ROOT, 'dist', 'cli', 'synthesis', 'stable-stringify.js') } : undefined));
  },
};

build({
  absWorkingDir: ROOT,
  entryPoints: { 'amifleet.bundle': 'cli/amifleet.ts', 'synth-worker.bundle': 'cli/synthesis/synth-worker.ts' },
  outdir: 'dist/cli',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The maps (with their sources inside, 10 MB) stay beside the bundles for bench/profile-summary.js;
  // no sourceMappingURL, since the package leaves them out.
  sourcemap: 'external',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [leaveOutArchiver, fasterStableStringify],
}).then(writeLaunchers, () => process.exit(1));

function writeLaunchers() {
  // tsc's map of the file the CLI's launcher replaces would only mislead.
  rmSync(join(ROOT, 'dist', 'cli', 'amifleet.js.map'), { force: true });
  const cli = join(ROOT, 'dist', 'cli', 'amifleet.js');
  writeFileSync(cli, `#!/usr/bin/env node
'use strict';
// The amifleet CLI: runs amifleet.bundle.js with V8's code cache (see synthesis/code-cache.js), and saves
// the cache when the process ends if there was none.
const bundle = require('./synthesis/code-cache').runBundle(require('node:path').join(__dirname, 'amifleet.bundle.js'));
process.once('exit', () => bundle.saveCodeCache());
`);
  chmodSync(cli, 0o755);
  writeFileSync(join(ROOT, 'dist', 'cli', 'synth-worker.js'), `'use strict';
// A synth worker thread: runs synth-worker.bundle.js with V8's code cache, and saves the cache
// when the thread ends if there was none.
const bundle = require('./synthesis/code-cache').runBundle(require('node:path').join(__dirname, 'synth-worker.bundle.js'));
process.once('exit', () => bundle.saveCodeCache());
`);
}

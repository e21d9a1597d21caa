#!/usr/bin/env node
'use strict';
// Bundles the CLI (and its synth worker) into one file each, over tsc's output in dist/cli/.
// Node.js then reads, resolves and compiles one file instead of ~600 modules (the provider
// bindings alone carry MBs of inline source maps), which is most of a small synth's time.
const { build } = require('esbuild');
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

build({
  absWorkingDir: ROOT,
  entryPoints: { amifleet: 'cli/amifleet.ts', 'synth-worker': 'cli/synth-worker.ts' },
  outdir: 'dist/cli',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [leaveOutArchiver],
}).catch(() => process.exit(1));

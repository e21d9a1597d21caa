#!/usr/bin/env node
'use strict';
// Fills packages/amifleet-cli/ (or the folder given) with what the CLI runs from: the bundles of
// `npm run build` (they hold every dependency), their launchers, templates/, the schema, LICENSE
// and CHANGELOG. The package has no dependencies, so installing the CLI alone pulls no
// node_modules. Run `npm run build` first; then `npm pack` or `npm publish` in that folder.
const { cpSync, existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
const SOURCE = join(ROOT, 'packages', 'amifleet-cli');
const OUT = resolve(process.argv[2] ?? SOURCE);
const RUNTIME = ['amifleet.js', 'amifleet.bundle.js', 'synth-worker.js', 'synth-worker.bundle.js', 'synthesis/code-cache.js'];

for (const file of RUNTIME) {
  if (!existsSync(join(ROOT, 'dist', 'cli', file))) {
    process.stderr.write(`build-cli-package: dist/cli/${file} is missing; run npm run build first\n`);
    process.exit(1);
  }
}
for (const copied of ['dist', 'templates']) rmSync(join(OUT, copied), { recursive: true, force: true });
for (const file of RUNTIME) cpSync(join(ROOT, 'dist', 'cli', file), join(OUT, 'dist', 'cli', file));
cpSync(join(ROOT, 'templates'), join(OUT, 'templates'), { recursive: true });
for (const file of ['fleet.schema.json', 'LICENSE', 'CHANGELOG.md']) cpSync(join(ROOT, file), join(OUT, file));
if (OUT !== SOURCE) cpSync(join(SOURCE, 'README.md'), join(OUT, 'README.md'));

// One version for both packages: the CLI's is the library's.
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const manifest = JSON.parse(readFileSync(join(SOURCE, 'package.json'), 'utf8'));
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);

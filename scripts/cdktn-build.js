#!/usr/bin/env node
'use strict';
// Builds amifleet against CDK Terrain (cdktn + @cdktn/provider-aws) from this repo's own sources:
// every file git knows is copied into the build folder with the cdktf imports renamed, next to a
// package.json of its own (amifleet-cdktn, peers on cdktn ranges); then type-checked, compiled
// and bundled as `npm test` does. `--test [jest args]` then runs jest on the renamed sources.
// The build folder is outside the repo (AMIFLEET_CDKTN_DIR, default in the system's temporary
// directory): inside it, Node.js would find anything the rename missed, cdktf included, in the
// repo's node_modules. The cdktn packages are installed from the registry into <build>-deps (not
// devDependencies: CI's `npm ci` would fetch ~500 MB more on every run, cdktn or not); the rest
// of the build's node_modules links to the repo's own, so both builds test with the same jest,
// TypeScript and esbuild.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
/** One build folder per checkout, so two worktrees never share one. */
const OUT = resolve(process.env.AMIFLEET_CDKTN_DIR
  ?? join(tmpdir(), `amifleet-cdktn-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`));
const DEPS = `${OUT}-deps`;

/**
 * What cdktn ships in place of each cdktf package amifleet uses, at the versions tested. Not
 * cdktn-cli (~200 MB more): no test can reach its code (only its bundle ships), and on Node 20
 * it does not run.
 */
const CDKTN = {
  cdktn: '0.24.0',
  '@cdktn/provider-aws': '25.7.0',
  // cdktn 0.24 peers constructs >=10.6.0 <10.8.0.
  constructs: '10.7.0',
  '@cdktn/hcl2json': '0.24.0',
  // cdktf 0.21 carries it (cli/synthesis/stable-stringify.ts holds the bundle's copy to it); cdktn does not.
  'json-stable-stringify': '1.3.0',
};
/** The repo's packages that cdktn replaces: never linked into the build. */
const REPLACED = new Set(['cdktf', 'cdktf-cli', 'constructs', '@cdktf']);

/**
 * The rename, on module specifiers only (a quoted name, alone or followed by a path), so that
 * `cdktf.out`, `cdktf.json` and prose keep their names. A specifier cdktn has no counterpart
 * for is left as it is and fails loudly where it is used.
 */
const RENAMES = [
  [/(['"])cdktf\/node_modules\/json-stable-stringify\1/g, '$1json-stable-stringify$1'],
  [/(['"])cdktf(\/[^'"\n]*)?\1/g, '$1cdktn$2$1'],
  // Also jsii type names, `'@cdktf/provider-aws.amiCopy.AmiCopyConfig'`.
  [/(['"])@cdktf\/(provider-aws|hcl2json)([/.][^'"\n]*)?\1/g, '$1@cdktn/$2$3$1'],
  // The same package as path segments, `join(..., 'node_modules', '@cdktf', 'provider-aws')`.
  [/(['"])@cdktf\1(, *['"](provider-aws|hcl2json)['"])/g, '$1@cdktn$1$2'],
  // How the provider's bindings name the framework (`import * as cdktn from 'cdktn'`), read by a test.
  [/\bcdktf(\\?\.TerraformMetaArguments)/g, 'cdktn$1'],
];

/** Files copied as they are: data, not code (the AWS catalog holds no import). */
const VERBATIM = /\.(json|ya?ml|hbs|md|svg|sh|txt)$|^package(-lock)?\.json$/;

function sourceFiles() {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return listed.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)) && f !== 'package.json' && f !== 'package-lock.json');
}

/** How many files each rename changed: one that changes none means the sources moved on and the rename must follow. */
const renameUses = RENAMES.map(() => 0);

function renamed(text) {
  return RENAMES.reduce((t, [pattern, replacement], i) => {
    const after = t.replace(pattern, replacement);
    if (after !== t) renameUses[i]++;
    return after;
  }, text);
}

function writeSources() {
  for (const entry of existsSync(OUT) ? readdirSync(OUT) : []) {
    if (entry !== 'node_modules') rmSync(join(OUT, entry), { recursive: true, force: true });
  }
  let changed = 0;
  for (const file of sourceFiles()) {
    const target = join(OUT, file);
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(join(ROOT, file));
    if (VERBATIM.test(file) && file !== 'cdktf.json') {
      writeFileSync(target, text);
      continue;
    }
    const after = renamed(text.toString('utf8'));
    if (after !== text.toString('utf8')) changed++;
    writeFileSync(target, after);
  }
  const unused = RENAMES.filter((_, i) => renameUses[i] === 0).map(([pattern]) => String(pattern));
  if (unused.length > 0) {
    console.error(`cdktn build: these renames match nothing in the sources any more: ${unused.join(', ')}`);
    process.exit(1);
  }
  return changed;
}

function writePackageJson() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const { cdktf: _cdktf, constructs: _constructs, '@cdktf/provider-aws': _provider, ...dependencies } = pkg.dependencies ?? {};
  const { cdktf: _p1, constructs: _p2, '@cdktf/provider-aws': _p3, ...peerDependencies } = pkg.peerDependencies ?? {};
  const built = {
    ...pkg,
    name: 'amifleet-cdktn',
    description: `${pkg.description} Built for CDK Terrain (cdktn).`,
    dependencies,
    peerDependencies: { ...peerDependencies, cdktn: '^0.24', constructs: '>=10.6.0 <10.8.0', '@cdktn/provider-aws': '^25' },
    devDependencies: Object.fromEntries(Object.entries(pkg.devDependencies ?? {})
      .filter(([name]) => !REPLACED.has(name) && !name.startsWith('@cdktf/'))
      .concat(Object.entries(CDKTN))),
    engines: { node: '>=20' },
  };
  writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(built, null, 2)}\n`);
}

function installCdktn() {
  const wanted = JSON.stringify({ name: 'amifleet-cdktn-deps', private: true, dependencies: CDKTN }, null, 2);
  const manifest = join(DEPS, 'package.json');
  if (existsSync(manifest) && readFileSync(manifest, 'utf8') === wanted && existsSync(join(DEPS, 'node_modules', 'cdktn'))) return;
  mkdirSync(DEPS, { recursive: true });
  writeFileSync(manifest, wanted);
  // Without engine-strict npm only warns that the cdktn packages declare Node 22.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: DEPS, stdio: 'inherit' });
}

function linkNodeModules() {
  const modules = join(OUT, 'node_modules');
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  const link = (from, name) => {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(from, name), join(modules, name), 'dir');
  };
  for (const name of Object.keys(CDKTN)) link(join(DEPS, 'node_modules'), name);
  const repoModules = join(ROOT, 'node_modules');
  for (const entry of readdirSync(repoModules)) {
    if (REPLACED.has(entry) || entry === '@cdktn' || entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(repoModules, entry))) link(repoModules, `${entry}/${scoped}`);
    } else {
      link(repoModules, entry);
    }
  }
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const name of readdirSync(join(repoModules, '.bin'))) {
    if (!name.startsWith('cdktf')) symlinkSync(join(repoModules, '.bin', name), join(modules, '.bin', name));
  }
}

/** Fails when the build can still reach a cdktf package: then a missed import would load cdktf unnoticed. */
function checkIsolated() {
  for (const name of ['cdktf', '@cdktf/provider-aws', 'cdktf-cli']) {
    let found;
    try {
      found = require.resolve(`${name}/package.json`, { paths: [OUT] });
    } catch {
      continue;
    }
    console.error(`cdktn build: ${OUT} reaches ${name} at ${found}; give AMIFLEET_CDKTN_DIR a folder outside any project`);
    process.exit(1);
  }
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: OUT, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * What `--test` runs without jest arguments (CI): every suite but the Terraform plans (minutes
 * each, and the plans judge Terraform JSON the cdktf build's plans already judge), and without
 * the cdktf CLI's deploy scheduler, which cdktn-cli ships only inside its bundle.
 */
const CI_SELECTION = ['--testPathIgnorePatterns=-plan\\.test\\.ts$', '--testNamePattern=^(?!cdktf deploy applies the waves in order)'];

const [mode, ...jestArgs] = process.argv.slice(2);
if (mode !== undefined && mode !== '--test') {
  console.error('usage: node scripts/cdktn-build.js [--test [jest arguments]]');
  process.exit(2);
}
const changed = writeSources();
writePackageJson();
installCdktn();
linkNodeModules();
checkIsolated();
console.log(`cdktn build: ${changed} files renamed, in ${OUT}`);
run(process.execPath, [join(OUT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json']);
run(process.execPath, [join(OUT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
run(process.execPath, [join(OUT, 'scripts', 'bundle-cli.js')]);
if (mode === '--test') run(process.execPath, [join(OUT, 'node_modules', 'jest', 'bin', 'jest.js'), ...(jestArgs.length > 0 ? jestArgs : CI_SELECTION)]);

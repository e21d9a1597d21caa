#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per package/file and per function.
// Frames in a bundle are mapped back to their sources through the bundle's .map file.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { SourceMap } = require('node:module');
const { dirname, relative, resolve } = require('node:path');

const sourceMaps = new Map();

/** The original file and 0-based line of a frame, when its script has a source map beside it. */
function originalPosition({ url, lineNumber, columnNumber }) {
  if (!url) return { url, line: lineNumber };
  const path = url.replace(/^file:\/\//, '');
  if (!sourceMaps.has(path)) {
    const map = `${path}.map`;
    sourceMaps.set(path, existsSync(map) ? new SourceMap(JSON.parse(readFileSync(map, 'utf8'))) : null);
  }
  const entry = sourceMaps.get(path)?.findEntry(lineNumber, columnNumber);
  return entry?.originalSource ? { url: resolve(dirname(path), entry.originalSource), line: entry.originalLine } : { url, line: lineNumber };
}

/** A frame's file, short: inside its package for dependencies, from the repository root for amifleet's own. */
function fileOf(url) {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith('node:') ? path : where(url);
}

/** A frame's package, or amifleet's own file. */
function where(url) {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return 'node:internal';
  const own = relative(resolve(__dirname, '..'), path);
  return own.startsWith('..') ? path : own;
}

function summarize(file, top) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const perPackage = new Map();
  const perFunction = new Map();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const at = originalPosition(cf);
    const pkg = where(at.url);
    perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} ${fileOf(at.url)}:${at.line + 1}`;
    perFunction.set(fn, (perFunction.get(fn) ?? 0) + us);
  }
  const show = (title, map) => {
    console.log(`\n${title}`);
    for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${k}`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(1)} ms sampled`);
  show('self time by package / file', perPackage);
  show('self time by function', perFunction);
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.js FILE.cpuprofile [TOP]');
  process.exit(2);
}
summarize(file, Number(top));

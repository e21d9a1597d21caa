#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per package/file and per function.
'use strict';
const { readFileSync } = require('node:fs');

function where(url) {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith('node:')) return 'node:internal';
  const dist = path.indexOf('/dist/');
  return dist >= 0 ? path.slice(dist + 1) : path;
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
    const pkg = where(cf.url);
    perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} ${pkg}:${cf.lineNumber + 1}`;
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

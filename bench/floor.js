#!/usr/bin/env node
'use strict';
// The floor: Node.js start-up plus writing the same files amifleet writes, from bytes computed
// beforehand (bench/run.js packs an amifleet output directory into <pack>.json + <pack>.bin).
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const [pack, outDir] = process.argv.slice(2);
const index = JSON.parse(readFileSync(`${pack}.json`, 'utf8'));
const bytes = readFileSync(`${pack}.bin`);
const made = new Set();
let offset = 0;
for (const [file, length] of index) {
  const target = join(outDir, file);
  const dir = dirname(target);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(target, bytes.subarray(offset, offset + length));
  offset += length;
}

#!/usr/bin/env node
'use strict';
// `npm run bench`: amifleet's synth, the stock cdktf baseline and the floor, side by side on the
// same generated fleets, alternating runs. Prints a table, writes bench/results.json and
// bench/results.svg, and refreshes the Performance table in README.md. No timing assertions.
const { spawnSync, execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join, relative, resolve } = require('node:path');
const { writeFleets, writePinnedFleets, REGIONS } = require('./fleet-generator');
const { renderChart } = require('./results-chart');

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'amifleet.js');
const TS_NODE = join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
const STOCK_DIR = join(__dirname, 'stock');
const FLOOR = join(__dirname, 'floor.js');
const PEAK_RSS_HOOK = join(__dirname, 'peak-rss.js');
const TIME = '/usr/bin/time';

function parseArgs(argv) {
  const options = {
    sizes: [1, 10, 100, 1000],
    reps: 5,
    bigReps: 3,
    stockReps: 3,
    stockMaxFleets: 100,
    stock: true,
    write: true,
    out: join(__dirname, 'out'),
    timeoutSeconds: 600,
    costFleets: 100,
    costReps: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === '--sizes') options.sizes = value().split(',').map(Number);
    else if (arg === '--reps') options.reps = Number(value());
    else if (arg === '--big-reps') options.bigReps = Number(value());
    else if (arg === '--stock-reps') options.stockReps = Number(value());
    else if (arg === '--stock-max-fleets') options.stockMaxFleets = Number(value());
    else if (arg === '--no-stock') options.stock = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--cost-fleets') options.costFleets = Number(value());
    else if (arg === '--quick') Object.assign(options, { sizes: [1, 10, 100], reps: 3, stockReps: 1, stockMaxFleets: 1, write: false });
    else {
      process.stderr.write(`usage: node bench/run.js [--quick] [--sizes 1,10,100,1000] [--reps N] [--big-reps N]
  [--stock-reps N] [--stock-max-fleets N] [--no-stock] [--no-write] [--cost-fleets N (0: none)]\nunknown argument: ${arg}\n`);
      process.exit(2);
    }
  }
  return options;
}

/** How many measured runs a series gets at a size; 0 means skipped. */
function repetitions(options, series, fleets) {
  if (series === 'stock') {
    if (!options.stock || fleets > options.stockMaxFleets) return 0;
    // A stock run at 100 fleets takes minutes: one is enough to place it on the chart.
    return fleets >= 100 ? 1 : options.stockReps;
  }
  return fleets >= 1000 ? options.bigReps : options.reps;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const hasTime = (() => {
  try {
    return execFileSync(TIME, ['-f', '%M', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] }) !== undefined;
  } catch {
    return false;
  }
})();

/** Runs `node args...` once; wall time from the harness, peak RSS of the child. */
function measure(args, { cwd = ROOT, env = {}, timeoutSeconds }) {
  const rssFile = join(os.tmpdir(), `amifleet-bench-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const fullEnv = { ...process.env, CHECKPOINT_DISABLE: '1', ...env };
  let command;
  let commandArgs;
  if (hasTime) {
    command = TIME;
    commandArgs = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else {
    command = process.execPath;
    commandArgs = ['--require', PEAK_RSS_HOOK, ...args];
    fullEnv.AMIFLEET_BENCH_RSS_FILE = rssFile;
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(command, commandArgs, { cwd, env: fullEnv, encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const timedOut = r.error?.code === 'ETIMEDOUT';
  let peakRssMB = null;
  if (existsSync(rssFile)) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) peakRssMB = kb / 1024;
  }
  const ok = r.status === 0 && !timedOut;
  return { seconds, peakRssMB, ok, timedOut, failure: ok ? undefined : (timedOut ? `timed out after ${timeoutSeconds} s` : `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`) };
}

function listFiles(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path));
  }
  return out;
}

/** Resources and data sources in a synthesized directory's stacks. */
function countBlocks(dir) {
  let resources = 0;
  let dataSources = 0;
  for (const file of listFiles(dir).filter((f) => f.endsWith('cdk.tf.json'))) {
    const stack = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const byName of Object.values(stack.resource ?? {})) resources += Object.keys(byName).length;
    for (const byName of Object.values(stack.data ?? {})) dataSources += Object.keys(byName).length;
  }
  return { resources, dataSources };
}

/**
 * What a feature's resources cost: the same pinned fleets synthesized without and with the
 * feature, alternating runs; the difference in time per block (resource or data source) added.
 * `rollout`: a previous image, three waves and an Auto Scaling group per region (issue 14).
 * `accounts`: two target accounts of three regions each and the share stack (issue 15).
 */
const COSTS = {
  rollout: {
    kinds: { plain: { rollout: false }, rollout: { rollout: true } },
    what: 'A rollout\'s resources ({fleets} pinned fleets, {stacks} stacks, before their first release and then mid-rollout with a previous image, three waves and an Auto Scaling group per region)',
  },
  accounts: {
    kinds: { plain: { accounts: false }, accounts: { accounts: true } },
    what: 'Accounts ({fleets} pinned fleets of {stacks} stacks, then each with two target accounts of three regions: six account stacks and a share stack more per fleet)',
  },
};

function featureCost(feature, options, out) {
  const { kinds } = COSTS[feature];
  const measured = {};
  for (const [kind, generate] of Object.entries(kinds)) {
    const dir = join(out, 'cost', feature, kind);
    rmSync(dir, { recursive: true, force: true });
    writePinnedFleets(options.costFleets, dir, generate);
    measured[kind] = { dir, runs: [] };
  }
  for (let round = 0; round < options.costReps; round++) {
    for (const [kind, m] of Object.entries(measured)) {
      const synthDir = join(out, 'cost', feature, `${kind}.out`);
      rmSync(synthDir, { recursive: true, force: true });
      const r = measure([CLI, 'synth', m.dir, '--out', synthDir], { timeoutSeconds: options.timeoutSeconds });
      if (!r.ok) throw new Error(`amifleet failed on the ${feature} cost fleets (${kind}): ${r.failure}`);
      m.runs.push(r);
      m.blocks = countBlocks(synthDir);
      process.stderr.write(`cost round ${round + 1}/${options.costReps}  ${kind.padEnd(8)} ${formatSeconds(r.seconds).padStart(8)}  ${formatMB(r.peakRssMB).padStart(9)}\n`);
      rmSync(synthDir, { recursive: true, force: true });
    }
  }
  const [base, variant] = Object.keys(kinds).map((kind) => ({
    kind,
    medianSeconds: median(measured[kind].runs.map((r) => r.seconds)),
    peakRssMB: Math.max(...measured[kind].runs.map((r) => r.peakRssMB ?? 0)) || null,
    ...measured[kind].blocks,
  }));
  const added = variant.resources + variant.dataSources - base.resources - base.dataSources;
  const msPerBlock = ((variant.medianSeconds - base.medianSeconds) * 1000) / added;
  return {
    fleets: options.costFleets, stacks: options.costFleets * REGIONS.length,
    [base.kind]: base, [variant.kind]: variant, addedBlocks: added, msPerAddedBlock: msPerBlock,
  };
}

function costLine(feature, cost) {
  const [base, variant] = Object.keys(COSTS[feature].kinds).map((kind) => cost[kind]);
  const what = COSTS[feature].what.replace('{fleets}', cost.fleets).replace('{stacks}', cost.stacks);
  return `${what}:`
    + ` ${base.resources} → ${variant.resources} resources and ${base.dataSources} → ${variant.dataSources} data sources,`
    + ` synth ${formatSeconds(base.medianSeconds)} → ${formatSeconds(variant.medianSeconds)} (${((variant.medianSeconds / base.medianSeconds - 1) * 100).toFixed(0)}%),`
    + ` ${cost.msPerAddedBlock.toFixed(2)} ms per block added; peak RSS ${formatMB(base.peakRssMB)} → ${formatMB(variant.peakRssMB)}.`;
}

/** Packs a synthesized directory into <pack>.json (paths, lengths) and <pack>.bin (bytes), for the floor. */
function packDirectory(dir, pack) {
  const files = listFiles(dir);
  const chunks = files.map((f) => readFileSync(join(dir, f)));
  writeFileSync(`${pack}.json`, JSON.stringify(files.map((f, i) => [f, chunks[i].length])));
  writeFileSync(`${pack}.bin`, Buffer.concat(chunks));
  return { files: files.length, bytes: chunks.reduce((n, c) => n + c.length, 0) };
}

const SERIES = {
  amifleet: {
    label: 'amifleet synth',
    describe: 'node dist/cli/amifleet.js synth <dir> --out <out>',
    args: (input, out) => ({ args: [CLI, 'synth', input.dir, '--out', out] }),
  },
  stock: {
    label: 'stock cdktf app (ts-node, provider root import)',
    describe: 'node node_modules/ts-node/dist/bin.js bench/stock/main.ts (the app command of the cdktf TypeScript template, without npx and the cdktf CLI)',
    args: (input, out) => ({ args: [TS_NODE, 'main.ts'], cwd: STOCK_DIR, env: { STOCK_FLEETS: input.json, CDKTF_OUTDIR: out } }),
  },
  floor: {
    label: 'floor (node start-up + writing the same files)',
    describe: 'node bench/floor.js <pack> <out>: writes the bytes of amifleet\'s output, computed beforehand',
    args: (input, out) => ({ args: [FLOOR, input.pack, out] }),
  },
};

/** Flushes dirty pages, so that one run's writeback is not paid by the next. */
function settleFileSystem() {
  try {
    execFileSync('sync');
  } catch {
    // No sync command: runs still alternate, so every series pays the same.
  }
}

/**
 * One measured run, into a directory of its own that stays until the whole bench is done.
 * Deleting a run's output before the next run made that run pay for it: on ext4 without a
 * journal (these machines), creating a file skips every inode deleted in the last minutes,
 * reading the inode table to find out; with 1,700 files just deleted, each create of the
 * next run cost 0.5-1 ms instead of 0.05 ms, for whichever series came next.
 */
function runSeries(name, input, options, outDir) {
  settleFileSystem();
  const spec = SERIES[name].args(input, outDir);
  return measure(spec.args, { cwd: spec.cwd, env: spec.env, timeoutSeconds: options.timeoutSeconds });
}

/** Deletes what runs wrote under `out`: measured runs, the reference synths and the stock warm-up. */
function removeRunOutputs(out) {
  for (const dir of ['run', 'reference', 'warm-up', 'cost']) rmSync(join(out, dir), { recursive: true, force: true });
}

function formatSeconds(s) {
  if (s >= 100) return `${s.toFixed(0)} s`;
  if (s >= 10) return `${s.toFixed(1)} s`;
  return `${s.toFixed(2)} s`;
}

function formatMB(mb) {
  return mb === null || mb === undefined ? '? MB' : `${Math.round(mb).toLocaleString('en-US')} MB`;
}

function cell(entry) {
  if (!entry || entry.medianSeconds === undefined) return entry?.skipped ? `skipped: ${entry.skipped}` : 'n/a';
  const n = entry.runs.length;
  return `${formatSeconds(entry.medianSeconds)}, ${formatMB(entry.peakRssMB)} (n=${n})`;
}

function ratio(a, b) {
  if (a === undefined || b === undefined) return 'n/a';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

function markdownTable(results) {
  const rows = [
    '| fleets | stacks | amifleet synth | stock cdktf (ts-node) | floor | stock ÷ amifleet | amifleet ÷ floor |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of results.sizes) {
    const a = results.series.amifleet.sizes[size];
    const s = results.series.stock.sizes[size];
    const f = results.series.floor.sizes[size];
    rows.push(`| ${size.toLocaleString('en-US')} | ${(size * REGIONS.length).toLocaleString('en-US')} | ${cell(a)} | ${cell(s)} | ${cell(f)} | ${ratio(s?.medianSeconds, a?.medianSeconds)} | ${ratio(a?.medianSeconds, f?.medianSeconds)} |`);
  }
  return rows.join('\n');
}

function targets(results) {
  const a = results.series.amifleet.sizes;
  const s = results.series.stock.sizes;
  const f = results.series.floor.sizes;
  const check = (name, value, pass) => ({ name, value, pass });
  const out = [];
  if (a[1]?.medianSeconds && s[1]?.medianSeconds) {
    const x = s[1].medianSeconds / a[1].medianSeconds;
    out.push(check('1 fleet: at least 20× faster than the stock baseline', `${x.toFixed(0)}×`, x >= 20));
  }
  if (a[1]?.peakRssMB) out.push(check('1 fleet: under 150 MB peak RSS', formatMB(a[1].peakRssMB), a[1].peakRssMB < 150));
  if (a[100]?.medianSeconds) out.push(check('100 fleets: under 3 s', formatSeconds(a[100].medianSeconds), a[100].medianSeconds < 3));
  if (a[10]?.medianSeconds && a[1000]?.medianSeconds) {
    const growth = a[1000].medianSeconds / a[10].medianSeconds;
    out.push(check('10 → 1,000 fleets: cost grows no faster than linearly (≤ 100×)', `${growth.toFixed(1)}×`, growth <= 100));
  }
  if (a[1]?.medianSeconds && f[1]?.medianSeconds) {
    const x = a[1].medianSeconds / f[1].medianSeconds;
    out.push(check('1 fleet: within 5× of the floor', `${x.toFixed(1)}×`, x <= 5));
  }
  return out;
}

function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

function updateReadme(table, results) {
  const readme = join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  const m = results.machine;
  const body = [
    start,
    `Measured ${results.date.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, Node.js ${m.node}, at commit ${results.commit}`
      + ` (load average ${results.loadAverage.start.map((l) => l.toFixed(1)).join(' ')} at the start). Medians of n runs; memory is the highest peak RSS of those runs.`,
    '',
    table,
    '',
    ...results.targets.map((t) => `- ${t.pass ? '✅' : '❌'} ${t.name}: ${t.value}`),
    ...results.notes.map((n) => `- ${n}`),
    '',
    '![synth time against fleet count, log scales](https://raw.githubusercontent.com/amifleet/amifleet/main/bench/results.svg)',
    end,
  ].join('\n');
  writeFileSync(readme, text.slice(0, from) + body + text.slice(to + end.length));
  return true;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const out = options.out;
  // Left by an interrupted bench: a run must never write into an earlier run's output.
  removeRunOutputs(out);
  mkdirSync(out, { recursive: true });
  const loadStart = os.loadavg();
  const inputs = {};
  process.stderr.write(`generating fleets (${REGIONS.length} regions each): ${options.sizes.join(', ')}\n`);
  for (const size of options.sizes) {
    const dir = join(out, 'fleets', String(size));
    rmSync(dir, { recursive: true, force: true });
    inputs[size] = writeFleets(size, dir);
    // Warm-up run (not counted): fills the file cache, and its output is what the floor writes.
    const synthDir = join(out, 'reference', String(size));
    rmSync(synthDir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [CLI, 'synth', inputs[size].dir, '--out', synthDir], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    if (r.status !== 0) throw new Error(`amifleet failed on ${size} fleets: ${r.stderr}`);
    inputs[size].pack = join(out, 'fleets', `${size}.floor`);
    const packed = packDirectory(synthDir, inputs[size].pack);
    inputs[size].files = packed.files;
    inputs[size].bytes = packed.bytes;
  }
  const smallest = Math.min(...options.sizes);
  if (options.stock && smallest <= options.stockMaxFleets) {
    process.stderr.write(`warming up the stock baseline on ${smallest} fleet(s)\n`);
    runSeries('stock', inputs[smallest], options, join(out, 'warm-up'));
  }

  const runs = {};
  for (const name of Object.keys(SERIES)) runs[name] = Object.fromEntries(options.sizes.map((s) => [s, []]));
  const rounds = Math.max(...options.sizes.flatMap((size) => Object.keys(SERIES).map((name) => repetitions(options, name, size))));
  for (let round = 0; round < rounds; round++) {
    for (const size of options.sizes) {
      for (const name of ['amifleet', 'floor', 'stock']) {
        if (round >= repetitions(options, name, size)) continue;
        const r = runSeries(name, inputs[size], options, join(out, 'run', `${name}-${size}-${round + 1}`));
        runs[name][size].push(r);
        process.stderr.write(`round ${round + 1}/${rounds}  ${name.padEnd(8)} ${String(size).padStart(5)} fleets  `
          + `${r.ok ? `${formatSeconds(r.seconds).padStart(8)}  ${formatMB(r.peakRssMB).padStart(9)}` : `FAILED ${r.failure}`}\n`);
      }
    }
  }

  const costs = options.costFleets > 0 ? Object.fromEntries(Object.keys(COSTS).map((f) => [f, featureCost(f, options, out)])) : {};

  // Every run's output goes at the end, once nothing is measured any more (see runSeries).
  removeRunOutputs(out);

  const notes = [];
  const results = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    loadAverage: { start: loadStart, end: os.loadavg() },
    peakRssMeasuredBy: hasTime ? `${TIME} -f %M` : 'process.resourceUsage().maxRSS at exit (bench/peak-rss.js)',
    regionsPerFleet: REGIONS.length,
    sizes: options.sizes,
    series: {},
    targets: [],
    notes,
  };
  for (const [name, spec] of Object.entries(SERIES)) {
    const sizes = {};
    for (const size of options.sizes) {
      const all = runs[name][size];
      const good = all.filter((r) => r.ok);
      const entry = { fleets: size, stacks: size * REGIONS.length, files: inputs[size].files, bytes: inputs[size].bytes, runs: all };
      if (good.length > 0) {
        entry.medianSeconds = median(good.map((r) => r.seconds));
        const rss = good.map((r) => r.peakRssMB).filter((v) => v !== null);
        entry.peakRssMB = rss.length ? Math.max(...rss) : null;
      } else if (all.length > 0) {
        entry.skipped = all[0].failure;
      } else if (name === 'stock') {
        entry.skipped = options.stock ? `over --stock-max-fleets ${options.stockMaxFleets}` : '--no-stock';
      }
      sizes[size] = entry;
    }
    results.series[name] = { label: spec.label, command: spec.describe, sizes };
  }
  const stock = results.series.stock.sizes;
  const measuredStock = options.sizes.filter((s) => stock[s].medianSeconds !== undefined).sort((a, b) => a - b);
  if (measuredStock.length >= 2) {
    // A fixed cost (type-checking the provider) plus a cost per fleet, through the two largest measured sizes.
    const [n1, n2] = measuredStock.slice(-2);
    const perFleet = (stock[n2].medianSeconds - stock[n1].medianSeconds) / (n2 - n1);
    const fixed = stock[n2].medianSeconds - perFleet * n2;
    for (const size of options.sizes.filter((s) => s > n2 && stock[s].skipped)) {
      const estimate = fixed + perFleet * size;
      stock[size].skipped = `≈ ${Math.round(estimate / 60)} min, extrapolated from ${n1} and ${n2} fleets`;
      stock[size].estimatedSeconds = estimate;
    }
  }
  const once = measuredStock.filter((s) => stock[s].runs.length === 1);
  if (once.length > 0) notes.push(`The stock baseline ran once at ${once.map((n) => `${n} fleet${n === 1 ? '' : 's'}`).join(', ')} (each run takes seconds to minutes).`);
  results.targets = targets(results);
  for (const [feature, cost] of Object.entries(costs)) {
    results[`${feature}Cost`] = cost;
    notes.push(costLine(feature, cost));
  }

  const table = markdownTable(results);
  process.stdout.write(`\n${table}\n\n`);
  for (const t of results.targets) process.stdout.write(`${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.value}\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`load average: ${loadStart.map((l) => l.toFixed(2)).join(' ')} at start, ${results.loadAverage.end.map((l) => l.toFixed(2)).join(' ')} at end; peak RSS by ${results.peakRssMeasuredBy}\n`);

  const resultsFile = options.write ? join(__dirname, 'results.json') : join(out, 'results.json');
  const chartFile = options.write ? join(__dirname, 'results.svg') : join(out, 'results.svg');
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(chartFile, renderChart(results));
  process.stdout.write(`wrote ${relative(ROOT, resultsFile)} and ${relative(ROOT, chartFile)}\n`);
  if (options.write && updateReadme(table, results)) process.stdout.write('updated the Performance section of README.md\n');
}

if (require.main === module) main();

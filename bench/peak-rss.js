'use strict';
// Loaded with `node --require` when /usr/bin/time is missing: records the process's peak RSS (KB) at exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.AMIFLEET_BENCH_RSS_FILE;
  if (file) writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});

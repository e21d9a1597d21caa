'use strict';
// Every temporary directory of a test run (the tests' own, cdktf Testing's outdirs, the CLI
// runs' output) goes under one directory, removed when the run ends: a run used to leave
// ~3,000 directories in the system's temporary directory.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  const root = mkdtempSync(join(tmpdir(), 'amifleet-jest-'));
  process.env.AMIFLEET_TEST_TMPDIR = root;
  // Read by os.tmpdir() in jest's workers and every process the tests start.
  process.env.TMPDIR = root;
};

'use strict';
const { rmSync } = require('node:fs');

module.exports = () => {
  const root = process.env.AMIFLEET_TEST_TMPDIR;
  if (root) rmSync(root, { recursive: true, force: true });
};

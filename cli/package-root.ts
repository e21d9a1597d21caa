import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The packages that ship the CLI: the library, the CLI alone (packages/amifleet-cli), the CDK Terrain build (scripts/cdktn-build.js). */
const PACKAGE_NAMES = ['amifleet', 'amifleet-cli', 'amifleet-cdktn'];

/** amifleet's own directory (where package.json and templates/ are), from the source or the built file. */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && PACKAGE_NAMES.includes((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name ?? '')) return (root = dir);
  }
  throw new Error(`cannot find amifleet's package.json above ${__dirname}`);
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

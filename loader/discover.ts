import { type Dirent, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const FLEET_FILE = /\.(ya?ml|json)$/i;
/** Terraform's own JSON (a module `amifleet module` wrote, a hand-written `*.tf.json`): never a fleet. */
const TERRAFORM_JSON = /\.tf\.json$/i;

/**
 * The fleet files named by command-line arguments: a file as given; for a directory, its
 * *.yaml, *.yml and *.json files (not *.tf.json) and those of its subfolders, in path order.
 * The walk skips hidden folders (.git, .terraform), node_modules and synth output directories,
 * and enters a linked folder once. Paths that do not exist are returned as given, so loading
 * reports them.
 */
export function fleetFiles(args: readonly string[]): string[] {
  return discoverFleetFiles(args).files;
}

/** A folder the walk could not read, so the fleet files in it would go unseen. */
export interface UnreadableFolder {
  readonly folder: string;
  readonly error: unknown;
}

/** `fleetFiles`, and the folders that could not be read (loading reports them as errors). */
export function discoverFleetFiles(args: readonly string[]): { files: string[]; unreadable: UnreadableFolder[] } {
  const files: string[] = [];
  const unreadable: UnreadableFolder[] = [];
  for (const arg of args) {
    if (isDirectory(arg)) files.push(...filesUnder(arg, unreadable).sort(byPath));
    else files.push(arg);
  }
  return { files: [...new Set(files)], unreadable };
}

function filesUnder(dir: string, unreadable: UnreadableFolder[], seen = new Set<string>()): string[] {
  let entries: Dirent[];
  try {
    // A link back up the tree would walk forever.
    const real = realpathSync(dir);
    if (seen.has(real)) return [];
    seen.add(real);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    unreadable.push({ folder: dir, error });
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Named like a fleet file, it is one, whatever it is (loading reports a folder or FIFO there).
    if (FLEET_FILE.test(entry.name) && !TERRAFORM_JSON.test(entry.name)) {
      found.push(path);
    } else if ((entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path))) && !isSkippedFolder(entry.name, path)) {
      found.push(...filesUnder(path, unreadable, seen));
    }
  }
  return found;
}

/** Folders that hold no fleets: hidden ones, node_modules, and what synth writes (cdktf.out, or any --out). */
function isSkippedFolder(name: string, path: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || (existsSync(join(path, 'manifest.json')) && isDirectory(join(path, 'stacks')));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Loading reports an unreadable path with its reason; a dangling link is no folder.
    return false;
  }
}

/** Code-unit order, the same on every machine (no locale). */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

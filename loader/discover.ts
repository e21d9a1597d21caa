import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const FLEET_FILE = /\.(ya?ml|json)$/i;

/**
 * The fleet files named by command-line arguments: a file as given, a directory's
 * *.yaml, *.yml and *.json files (not recursive), in name order. Paths that do not exist are
 * returned as given, so loading reports them.
 */
export function fleetFiles(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      // Loading reports the unreadable path with its reason.
    }
    if (!isDir) {
      files.push(arg);
      continue;
    }
    const names = readdirSync(arg).filter((n) => FLEET_FILE.test(n)).sort();
    files.push(...names.map((n) => join(arg, n)));
  }
  return [...new Set(files)];
}

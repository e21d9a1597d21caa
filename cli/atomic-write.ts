import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file whole or not at all: a temporary file beside it, renamed over it when complete.
 * `mode` gives the new file the permissions of the one it replaces.
 */
export function writeFileAtomically(target: string, text: string, mode?: number): void {
  ensureDirectory(dirname(target));
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    // After the write, since the umask would narrow a mode given to it.
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Creates `dir` and its missing parents one at a time. Node's recursive mkdir retries for ever
 * where a parent exists but refuses children (a /proc folder); this fails with that error.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (d === dirname(d)) break;
  }
  for (const d of missing) mkdirSync(d);
}

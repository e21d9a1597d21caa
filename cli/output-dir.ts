import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a whole output directory or nothing: `write` fills a fresh temporary directory
 * beside `target`, which replaces `target` only when `write` returns. A failure (or a kill)
 * leaves `target` exactly as it was.
 */
export function replaceDirectory<T>(target: string, write: (tempDir: string) => T): T {
  const { out, temp } = tempDirectoryBeside(target);
  let result: T;
  try {
    result = write(temp);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  swapIn(temp, out);
  return result;
}

/** `replaceDirectory` for a `write` that finishes later; `target` changes only when it resolves. */
export async function replaceDirectoryAsync<T>(target: string, write: (tempDir: string) => Promise<T>): Promise<T> {
  const { out, temp } = tempDirectoryBeside(target);
  let result: T;
  try {
    result = await write(temp);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  swapIn(temp, out);
  return result;
}

function tempDirectoryBeside(target: string): { out: string; temp: string } {
  const out = resolve(target);
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  return { out, temp: mkdtempSync(join(parent, `.${basename(out)}.tmp-`)) };
}

function swapIn(temp: string, out: string): void {
  const old = `${temp}.old`;
  const hadOld = existsSync(out);
  if (hadOld) renameSync(out, old);
  try {
    renameSync(temp, out);
  } catch (e) {
    if (hadOld) renameSync(old, out);
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** An output directory amifleet will not (or cannot) replace; nothing was written. */
export class OutputDirError extends Error {}

/**
 * Writes a whole output directory or nothing: `write` fills a fresh temporary directory
 * beside `target`, which replaces `target` only when `write` returns. A failure (or a kill)
 * leaves `target` exactly as it was. `keep` names paths (the inputs, the working directory)
 * that replacing `target` must not delete.
 */
export function replaceDirectory<T>(target: string, write: (tempDir: string) => T, keep: readonly string[] = []): T {
  const { out, temp } = tempDirectoryBeside(target, keep);
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
export async function replaceDirectoryAsync<T>(target: string, write: (tempDir: string) => Promise<T>, keep: readonly string[] = []): Promise<T> {
  const { out, temp } = tempDirectoryBeside(target, keep);
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

function tempDirectoryBeside(target: string, keep: readonly string[]): { out: string; temp: string } {
  const out = resolve(target);
  refuseUnsafeTarget(target, out, [process.cwd(), ...keep]);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
    const temp = mkdtempSync(join(parent, `.${basename(out)}.tmp-`));
    // mkdtemp makes a private (0700) directory; the output should get the usual permissions.
    chmodSync(temp, 0o777 & ~process.umask());
    return { out, temp };
  } catch (e) {
    throw new OutputDirError(`cannot create a directory in ${dirname(target) || '.'}: ${(e as Error).message}`);
  }
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

function refuseUnsafeTarget(target: string, out: string, keep: readonly string[]): void {
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new OutputDirError(`${target} is a file, not an output directory`);
  }
  const inside = keep.find((p) => resolve(p) === out || resolve(p).startsWith(out + sep));
  if (inside !== undefined) {
    throw new OutputDirError(`${target} holds ${inside}, which replacing it would delete`);
  }
}

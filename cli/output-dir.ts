import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ensureDirectory } from './atomic-write';

/** An output directory amifleet will not (or cannot) write; nothing was written. */
export class OutputDirError extends Error {}

/** What a command's output directory is, so an earlier one can be told from anything else. */
export interface OutputKind {
  /** The option, for messages: `--out`. */
  readonly option: string;
  /** Whether `dir`, an existing directory that is not empty, holds an earlier output of the command. */
  isEarlierOutput(dir: string): boolean;
}

/** What a command wrote into a fresh temporary directory, and what of its earlier output is now stale. */
export interface WrittenOutput<T> {
  readonly result: T;
  /** Files (relative to the output directory) amifleet wrote before and writes no more: removed on success. */
  readonly stale?: readonly string[];
}

/** The output directory of a run, checked before anything is written. */
export interface OutputTarget {
  /** Absolute path. */
  readonly dir: string;
  /** As the user gave it, for messages. */
  readonly given: string;
  /** `--out <given>`, how messages name it. */
  readonly name: string;
  /** The directory holds an earlier output of the same command (so files amifleet wrote there may be replaced). */
  readonly earlier: boolean;
}

/**
 * Checks that `given` may take a command's output: missing, empty, or an earlier output of
 * the same command (`kind`). Anything else is refused with a one-line reason: a file, a link,
 * the working directory or one holding it, a directory holding an input of the run (a fleet
 * file, a fleet folder), one inside a fleet folder, or a directory of other files.
 */
export function checkOutputTarget(given: string, kind: OutputKind, inputs: readonly string[] = []): OutputTarget {
  const dir = resolve(given);
  const name = `${kind.option} ${given}`;
  const cwd = process.cwd();
  if (isWithin(cwd, dir)) {
    throw new OutputDirError(`${name}: ${dir === cwd ? 'is' : 'holds'} the working directory; give a directory of its own, such as cdktf.out`);
  }
  for (const input of inputs.map((i) => resolve(i))) {
    if (isWithin(input, dir)) {
      throw new OutputDirError(`${name}: ${input === dir ? 'is' : 'holds'} ${displayed(input)}, an input of this run; give a directory of its own`);
    }
    if (isWithin(dir, input) && isDirectory(input)) {
      throw new OutputDirError(`${name}: is inside ${displayed(input)}, a folder of fleet files, which the next run would read; write it elsewhere`);
    }
  }
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return { dir, given, name, earlier: false };
  }
  if (stat.isSymbolicLink()) throw new OutputDirError(`${name}: is a symbolic link; give the directory it points to`);
  if (!stat.isDirectory()) throw new OutputDirError(`${name}: is a file, not an output directory`);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new OutputDirError(`${name}: cannot read it: ${ioReason(e)}`);
  }
  if (entries.length === 0) return { dir, given, name, earlier: false };
  if (!kind.isEarlierOutput(dir)) {
    const shown = entries.sort().slice(0, 3).join(', ');
    throw new OutputDirError(`${name}: holds files amifleet did not write (${shown}${entries.length > 3 ? ', ...' : ''}); give an empty or new directory, or an earlier output of this command`);
  }
  return { dir, given, name, earlier: true };
}

/**
 * Writes a command's output whole or not at all. `write` fills a fresh temporary directory
 * beside the target; only when it returns are its files moved into the target, each replacing
 * the file of the same name, and the `stale` files of the earlier output removed. Nothing
 * else in the target is touched: what Terraform (or anyone) put there stays. A failure
 * leaves the target exactly as it was.
 */
export function writeOutput<T>(target: OutputTarget, write: (temp: string) => WrittenOutput<T>): T {
  const temp = temporaryBeside(target);
  let written: WrittenOutput<T>;
  try {
    written = write(temp);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  moveInto(temp, target, written.stale ?? []);
  return written.result;
}

/** `writeOutput` for a `write` that finishes later; the target changes only when it resolves. */
export async function writeOutputAsync<T>(target: OutputTarget, write: (temp: string) => Promise<WrittenOutput<T>>): Promise<T> {
  const temp = temporaryBeside(target);
  let written: WrittenOutput<T>;
  try {
    written = await write(temp);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  moveInto(temp, target, written.stale ?? []);
  return written.result;
}

function temporaryBeside(target: OutputTarget): string {
  const parent = dirname(target.dir);
  try {
    ensureDirectory(parent);
    const temp = mkdtempSync(join(parent, `.${basename(target.dir)}.tmp-`));
    // mkdtemp makes a private (0700) directory; the output should get the usual permissions.
    chmodSync(temp, 0o777 & ~process.umask());
    return temp;
  } catch (e) {
    throw new OutputDirError(`${target.name}: cannot create a directory in ${dirname(target.given) || '.'}: ${ioReason(e)}`);
  }
}

/** A step of moving an output into place, so that a failure can undo the steps before it. */
type Step = { kind: 'file'; rel: string; replaced: boolean } | { kind: 'stale'; rel: string } | { kind: 'dir'; path: string };

function moveInto(temp: string, target: OutputTarget, stale: readonly string[]): void {
  const out = target.dir;
  if (!existsSync(out) || readdirSync(out).length === 0) {
    // Nothing to keep: the whole directory goes into place at once.
    try {
      if (existsSync(out)) rmdirSync(out);
      renameSync(temp, out);
      return;
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      throw new OutputDirError(`${target.name}: cannot write it: ${ioReason(e)}`);
    }
  }
  const backup = `${temp}.old`;
  const steps: Step[] = [];
  const ensureDir = (path: string): void => {
    if (existsSync(path)) return;
    ensureDir(dirname(path));
    mkdirSync(path);
    steps.push({ kind: 'dir', path });
  };
  try {
    mkdirSync(backup);
    for (const rel of filesUnder(temp)) {
      ensureDir(dirname(join(out, rel)));
      const replaced = existsSync(join(out, rel));
      // Only a file amifleet wrote is ever replaced; a directory of that name is someone else's.
      if (replaced && !lstatSync(join(out, rel)).isFile()) throw new Error(`${join(target.given, rel)} is not a file`);
      if (replaced) moveFile(join(out, rel), join(backup, rel));
      renameSync(join(temp, rel), join(out, rel));
      steps.push({ kind: 'file', rel, replaced });
    }
    for (const rel of stale) {
      if (!existsSync(join(out, rel)) || !lstatSync(join(out, rel)).isFile()) continue;
      moveFile(join(out, rel), join(backup, rel));
      steps.push({ kind: 'stale', rel });
    }
  } catch (e) {
    undo(steps, temp, out, backup);
    rmSync(temp, { recursive: true, force: true });
    rmSync(backup, { recursive: true, force: true });
    throw new OutputDirError(`${target.name}: cannot write it, left as it was: ${ioReason(e)}`);
  }
  for (const rel of stale) removeEmptyParents(out, dirname(join(out, rel)));
  rmSync(temp, { recursive: true, force: true });
  rmSync(backup, { recursive: true, force: true });
}

function undo(steps: readonly Step[], temp: string, out: string, backup: string): void {
  for (const step of [...steps].reverse()) {
    try {
      if (step.kind === 'dir') {
        rmdirSync(step.path);
      } else if (step.kind === 'stale') {
        renameSync(join(backup, step.rel), join(out, step.rel));
      } else {
        renameSync(join(out, step.rel), join(temp, step.rel));
        if (step.replaced) renameSync(join(backup, step.rel), join(out, step.rel));
      }
    } catch {
      // Undo what can be undone; the backup directory is removed only after this.
    }
  }
}

function moveFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty. */
function removeEmptyParents(root: string, dir: string): void {
  for (let d = dir; d !== root && isWithin(d, root); d = dirname(d)) {
    try {
      if (readdirSync(d).length > 0) return;
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk('');
  return out.sort();
}

/** `inner` is `outer` or below it. */
function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An I/O error in a person's words (`permission denied`), else the system's message. */
export function ioReason(e: unknown): string {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory', EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is a file', EEXIST: 'a part of the path is a file',
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
    EXDEV: 'not on the same file system', ENOTEMPTY: 'a directory is in the way',
  };
  const code = (e as NodeJS.ErrnoException).code;
  return (code && reasons[code]) ?? (e as Error).message;
}

function displayed(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

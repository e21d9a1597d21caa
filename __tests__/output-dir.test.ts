import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputTarget, OutputDirError, writeOutput, writeOutputAsync, type OutputKind } from '../cli/output-dir';
import { workdir } from './support/cli';
import { fileTree } from './support/tree';

/** An output kind whose earlier outputs hold a file named `marker`. */
const MARKED: OutputKind = { option: '--out', isEarlierOutput: (dir) => existsSync(join(dir, 'marker')) };

describe('checkOutputTarget', () => {
  it('accepts a missing directory, an empty one, and an earlier output', () => {
    const dir = workdir({ 'earlier/marker': '' });
    mkdirSync(join(dir, 'really-empty'));
    expect(checkOutputTarget(join(dir, 'missing'), MARKED)).toMatchObject({ earlier: false });
    expect(checkOutputTarget(join(dir, 'really-empty'), MARKED)).toMatchObject({ earlier: false });
    expect(checkOutputTarget(join(dir, 'earlier'), MARKED)).toMatchObject({ earlier: true });
  });

  it.each([
    ['a directory of other files', (d: string) => join(d, 'other'), '--out X: holds files amifleet did not write (a.txt, b.txt, c.txt, ...)'],
    ['a file', (d: string) => join(d, 'other', 'a.txt'), '--out X: is a file, not an output directory'],
    ['a link', (d: string) => join(d, 'link'), '--out X: is a symbolic link; give the directory it points to'],
    ['the working directory', (d: string) => d, '--out X: is the working directory'],
    ['a directory holding the working directory', () => '/', '--out X: holds the working directory'],
    ['an input', (d: string) => join(d, 'fleets', 'web.yaml'), '--out X: is fleets/web.yaml, an input of this run'],
    ['a directory holding an input', (d: string) => join(d, 'fleets'), '--out X: holds fleets/web.yaml, an input of this run'],
    ['a directory inside a folder argument', (d: string) => join(d, 'fleets', 'out'), '--out X: is inside fleets, a folder of fleet files'],
  ])('refuses %s with a one-line reason', (_, target, message) => {
    const dir = workdir({ 'other/a.txt': '', 'other/b.txt': '', 'other/c.txt': '', 'other/d.txt': '', 'fleets/web.yaml': '' });
    symlinkSync(join(dir, 'other'), join(dir, 'link'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const given = target(dir);
      expect(() => checkOutputTarget(given, MARKED, [join(dir, 'fleets', 'web.yaml'), join(dir, 'fleets')]))
        .toThrow(new OutputDirError(message.replace('X', given)).message);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('writeOutput', () => {
  it('moves what was written into an earlier output, replacing files of the same name and keeping everything else', () => {
    const dir = workdir({ 'out/marker': 'old', 'out/stacks/a/cdk.tf.json': 'old a', 'out/stacks/a/.terraform.lock.hcl': 'lock', 'out/notes.txt': 'mine' });
    const target = checkOutputTarget(join(dir, 'out'), MARKED);
    const result = writeOutput(target, (temp) => {
      mkdirSync(join(temp, 'stacks', 'a'), { recursive: true });
      writeFileSync(join(temp, 'marker'), 'new');
      writeFileSync(join(temp, 'stacks', 'a', 'cdk.tf.json'), 'new a');
      return { result: 7 };
    });
    expect(result).toBe(7);
    expect(Object.fromEntries(Object.entries(fileTree(join(dir, 'out'))).map(([k, v]) => [k, v.bytes.toString()]))).toEqual({
      marker: 'new', 'notes.txt': 'mine', 'stacks/a/cdk.tf.json': 'new a', 'stacks/a/.terraform.lock.hcl': 'lock',
    });
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('removes the stale files it is told of, and the directories they leave empty', () => {
    const dir = workdir({ 'out/marker': '', 'out/stacks/gone/cdk.tf.json': '', 'out/stacks/kept/cdk.tf.json': '', 'out/stacks/kept/.terraform/x': '' });
    writeOutput(checkOutputTarget(join(dir, 'out'), MARKED), (temp) => {
      writeFileSync(join(temp, 'marker'), '');
      return { result: undefined, stale: [join('stacks', 'gone', 'cdk.tf.json')] };
    });
    expect(readdirSync(join(dir, 'out', 'stacks'))).toEqual(['kept']);
  });

  it('leaves the target as it was when writing throws, and no temporary directory behind', () => {
    const dir = workdir({ 'out/marker': 'old' });
    const before = fileTree(join(dir, 'out'));
    expect(() => writeOutput(checkOutputTarget(join(dir, 'out'), MARKED), (temp) => {
      writeFileSync(join(temp, 'half.txt'), 'half');
      throw new Error('boom');
    })).toThrow('boom');
    expect(fileTree(join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('undoes every move when one fails half-way, and says so', () => {
    // A directory where a new file must go: its rename fails after the files before it moved.
    const dir = workdir({ 'out/marker': 'old', 'out/b/keep.txt': 'in the way' });
    const before = fileTree(join(dir, 'out'));
    expect(() => writeOutput(checkOutputTarget(join(dir, 'out'), MARKED), (temp) => {
      writeFileSync(join(temp, 'a.txt'), 'new');
      writeFileSync(join(temp, 'marker'), 'new');
      writeFileSync(join(temp, 'b'), 'a file where a directory is');
      return { result: undefined };
    })).toThrow(/cannot write it, left as it was/);
    expect(fileTree(join(dir, 'out'))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('puts a new output in place whole', async () => {
    const dir = workdir();
    await writeOutputAsync(checkOutputTarget(join(dir, 'out'), MARKED), async (temp) => {
      writeFileSync(join(temp, 'marker'), 'new');
      return { result: undefined };
    });
    expect(readFileSync(join(dir, 'out', 'marker'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('leaves the target as it was when the write rejects', async () => {
    const dir = workdir({ 'out/marker': 'old' });
    await expect(writeOutputAsync(checkOutputTarget(join(dir, 'out'), MARKED), async (temp) => {
      writeFileSync(join(temp, 'half.txt'), 'half');
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('worker failed');
    })).rejects.toThrow('worker failed');
    expect(readdirSync(join(dir, 'out'))).toEqual(['marker']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

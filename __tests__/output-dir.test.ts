import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceDirectory, replaceDirectoryAsync } from '../cli/output-dir';
import { workdir } from './support/cli';

describe('replaceDirectory', () => {
  it('replaces the directory with what was written', () => {
    const dir = workdir({ 'out/old.txt': 'old' });
    expect(replaceDirectory(join(dir, 'out'), (temp) => { writeFileSync(join(temp, 'new.txt'), 'new'); return 1; })).toBe(1);
    expect(readdirSync(join(dir, 'out'))).toEqual(['new.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('leaves the directory as it was when writing throws, and no temporary directory behind', () => {
    const dir = workdir({ 'out/old.txt': 'old' });
    expect(() => replaceDirectory(join(dir, 'out'), (temp) => {
      writeFileSync(join(temp, 'half.txt'), 'half');
      throw new Error('boom');
    })).toThrow('boom');
    expect(readdirSync(join(dir, 'out'))).toEqual(['old.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

describe('replaceDirectoryAsync', () => {
  it('replaces the directory once the write resolves', async () => {
    const dir = workdir({ 'out/old.txt': 'old' });
    await replaceDirectoryAsync(join(dir, 'out'), async (temp) => { writeFileSync(join(temp, 'new.txt'), 'new'); });
    expect(readFileSync(join(dir, 'out', 'new.txt'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'out', 'old.txt'))).toBe(false);
  });

  it('leaves the directory as it was when the write rejects, and no temporary directory behind', async () => {
    const dir = workdir({ 'out/old.txt': 'old' });
    await expect(replaceDirectoryAsync(join(dir, 'out'), async (temp) => {
      writeFileSync(join(temp, 'half.txt'), 'half');
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('worker failed');
    })).rejects.toThrow('worker failed');
    expect(readdirSync(join(dir, 'out'))).toEqual(['old.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

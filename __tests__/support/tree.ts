import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, by relative path, with its bytes and mode: what "unchanged" means for an output directory. */
export function fileTree(dir: string): Record<string, { bytes: Buffer; mode: number }> {
  const out: Record<string, { bytes: Buffer; mode: number }> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = { bytes: readFileSync(path), mode: statSync(path).mode };
    }
  };
  walk(dir);
  return out;
}

// Loads a bundle (dist/cli/*.bundle.js) the way Node.js loads a CommonJS module, but with
// V8's code cache: the bytecode of the bundle's top level and of every function that ran,
// saved beside the bundle after the first run. Compiling the 1.9 MB bundle and the functions a
// synth calls is about a third of a small synth; with the cache, V8 deserializes instead.
// Node.js 22 does this itself (module.enableCompileCache); Node.js 20 does not. Only Node.js
// built-ins here: this file runs before the bundle, and is not part of it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { arch } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface CjsModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
  require(id: string): unknown;
}

type CjsModuleClass = (new (id: string, parent: CjsModule | null) => CjsModule) & {
  wrap(source: string): string;
  _nodeModulePaths(from: string): string[];
  _resolveFilename(request: string, parent: CjsModule): string;
};

const CjsModule = Module as unknown as CjsModuleClass;

/** Where a bundle's cache lives: per Node.js version and architecture, since V8 refuses any other's. */
export function codeCacheFile(bundle: string): string {
  return join(dirname(bundle), '.code-cache', `${basename(bundle)}.${process.version}.${arch()}.bin`);
}

export interface LoadedBundle {
  /** Writes the cache if there was none or V8 refused it; call once the bundle's work is done. */
  saveCodeCache(): void;
}

/**
 * Runs `bundle` as the main module of this process or thread (`require.main === module` holds
 * in it), with V8's code cache when one is saved. A missing, stale or unreadable cache only
 * costs the compile it would have saved; a cache that cannot be written is not written.
 */
export function runBundle(bundle: string): LoadedBundle {
  const cacheFile = codeCacheFile(bundle);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  let source = readFileSync(bundle, 'utf8');
  // A shebang is only valid at the very start of a script, not inside the module wrapper.
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const script = new Script(CjsModule.wrap(source), { filename: bundle, cachedData });
  const needsSaving = cachedData === undefined || script.cachedDataRejected === true;

  const main = new CjsModule(bundle, null);
  main.filename = bundle;
  main.paths = CjsModule._nodeModulePaths(dirname(bundle));
  const localRequire = Object.assign((id: string) => main.require(id), {
    main,
    resolve: (request: string) => CjsModule._resolveFilename(request, main),
  });
  (process as { mainModule?: unknown }).mainModule = main;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(main.exports, main.exports, localRequire, main, bundle, dirname(bundle));
  main.loaded = true;

  return {
    saveCodeCache: () => {
      if (!needsSaving) return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        // Written whole, then renamed: a run that starts meanwhile reads the old cache or none, never half of one.
        const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // A read-only install: every run compiles, as without a cache.
      }
    },
  };
}

import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT, Exit, loadOrExit, plural } from '../exit';

/** An I/O error in a person's words: `is a directory`, `permission denied`; else the system's message. */
function ioReason(e: unknown): string {
  const reasons: Record<string, string> = {
    EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is a file', EACCES: 'permission denied', EROFS: 'read-only file system',
    EEXIST: 'a part of the path is a file', ENOSPC: 'no space left on the device',
  };
  const code = (e as NodeJS.ErrnoException).code;
  return (code && reasons[code]) ?? (e as Error).message;
}

export function registerDocs(program: Command): void {
  program.command('docs')
    .description('write a Markdown page per fleet: regions, outputs and a Mermaid diagram (to stdout, or <fleet>.md files in --out)')
    .argument('<paths...>', 'fleet files or directories of them')
    .option('-o, --out <dir>', 'write <fleet>.md files into this directory instead of printing')
    .action((paths: string[], options: { out?: string }) => {
      const loaded = loadOrExit(paths, 'nothing written');
      // cdktf and the provider bindings are loaded only when there is something to document.
      const { fleetDocsPage, FleetDocsError } = require('../fleet-docs') as typeof import('../fleet-docs');
      const { writeFileAtomically } = require('../atomic-write') as typeof import('../atomic-write');
      const pages = loaded.fleets.map((f) => {
        try {
          return { fleet: f.fleet.fleet, markdown: fleetDocsPage(f) };
        } catch (e) {
          if (!(e instanceof FleetDocsError)) throw e;
          process.stderr.write(`${f.file}: docs template: ${e.message}\namifleet: nothing written\n`);
          throw new Exit(EXIT.invalid);
        }
      });
      if (options.out === undefined) {
        process.stdout.write(pages.map((p) => p.markdown).join('\n'));
        return;
      }
      const written: string[] = [];
      for (const page of pages) {
        const file = join(options.out, `${page.fleet}.md`);
        try {
          writeFileAtomically(file, page.markdown);
        } catch (e) {
          const done = written.length > 0 ? `wrote only ${written.join(', ')}` : 'nothing written';
          process.stderr.write(`amifleet docs: --out ${options.out}: cannot write ${file}: ${ioReason(e)}; ${done}\n`);
          throw new Exit(EXIT.usage);
        }
        written.push(file);
      }
      process.stdout.write(`wrote ${plural(pages.length, 'page')} into ${options.out}\n`);
    });
}

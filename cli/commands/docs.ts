import { join } from 'node:path';
import type { Command } from 'commander';
import { complain, EXIT, report, Exit, loadOrExit, plural } from '../exit';

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
      const { ioReason } = require('../output-dir') as typeof import('../output-dir');
      const pages = loaded.fleets.map((f) => {
        try {
          return { fleet: f.fleet.fleet, markdown: fleetDocsPage(f) };
        } catch (e) {
          if (!(e instanceof FleetDocsError)) throw e;
          complain(`${f.file}: docs template: ${e.message}`);
          complain('amifleet: nothing written');
          throw new Exit(EXIT.invalid);
        }
      });
      if (options.out === undefined) {
        process.stdout.write(pages.map((p) => p.markdown).join('\n'));
        return;
      }
      if (options.out.trim() === '') {
        complain('amifleet docs: --out needs a directory name; nothing written');
        throw new Exit(EXIT.usage);
      }
      const written: string[] = [];
      for (const page of pages) {
        const file = join(options.out, `${page.fleet}.md`);
        try {
          writeFileAtomically(file, page.markdown);
        } catch (e) {
          const done = written.length > 0 ? `wrote only ${written.join(', ')}` : 'nothing written';
          complain(`amifleet docs: --out ${options.out}: cannot write ${file}: ${ioReason(e)}; ${done}`);
          throw new Exit(EXIT.usage);
        }
        written.push(file);
      }
      report(`wrote ${plural(pages.length, 'page')} into ${options.out}`);
    });
}

import type { Fleet } from '../modules/fleet/fleet-spec';
import type { UserDataTemplate } from '../modules/rendering/user-data';
import { fleetStackNames } from '../modules/fleet/fleet-names';
import { byPosition, type Diagnostic } from './diagnostic';
import { discoverFleetFiles } from './discover';
import type { FleetDocument } from './fleet-document';
import { at, ioReason, loadFleetFile } from './load-fleet';

export interface FleetFile {
  readonly file: string;
  readonly fleet: Fleet;
  readonly document: FleetDocument;
  /** The text of the fleet's user data template, for the constructs to render per region. */
  readonly userDataTemplate?: UserDataTemplate;
}

export interface LoadedFleets {
  /** Every valid fleet, in file order. */
  readonly fleets: FleetFile[];
  /** Every problem of every file, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
  /** True when nothing may be written: some file has an error. */
  readonly failed: boolean;
}

/** Loads the fleet files named by `args` (files or directories) and checks them as one run. */
export function loadFleets(args: readonly string[]): LoadedFleets {
  const { files, unreadable } = discoverFleetFiles(args);
  const diagnostics: Diagnostic[] = unreadable.map(({ folder, error }) => ({
    file: folder, line: 1, col: 1, path: '', severity: 'error',
    message: `cannot read this folder (${ioReason(error)}), so the fleet files in it cannot be loaded`,
    suggestion: 'make it readable, or name the fleet files to load',
  }));
  const fleets: FleetFile[] = [];
  if (files.length === 0 && unreadable.length === 0) {
    diagnostics.push({ file: args.join(' '), line: 1, col: 1, path: '', message: 'no fleet files (*.yaml, *.yml, *.json) found', severity: 'error' });
  }
  for (const file of files) {
    const loaded = loadFleetFile(file);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.fleet && loaded.document) fleets.push({ file, fleet: loaded.fleet, document: loaded.document, userDataTemplate: loaded.userDataTemplate });
  }
  diagnostics.push(...stackNameClashes(fleets));
  diagnostics.sort(byPosition);
  return { fleets, diagnostics, failed: diagnostics.some((d) => d.severity === 'error') };
}

/** Two fleets of one run may not share a name, nor produce a stack of the same name. */
function stackNameClashes(fleets: readonly FleetFile[]): Diagnostic[] {
  const owner = new Map<string, FleetFile>();
  const out: Diagnostic[] = [];
  for (const f of fleets) {
    const names = [f.fleet.fleet, ...Object.keys(fleetStackNames(f.fleet))];
    const clash = names.map((n) => owner.get(n)).find((o) => o !== undefined && o !== f);
    if (clash) {
      const same = clash.fleet.fleet === f.fleet.fleet;
      out.push(at(f.document, f.file, ['fleet'], false, {
        message: same ? `fleet "${f.fleet.fleet}" is also defined in ${clash.file}; fleet names must be unique`
          : `stack names of fleet "${f.fleet.fleet}" clash with those of fleet "${clash.fleet.fleet}" in ${clash.file}`,
      }));
      continue;
    }
    for (const n of names) owner.set(n, f);
  }
  return out;
}

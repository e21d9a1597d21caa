import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { didYouMean } from '../modules/fleet/closest-name';

/** The folders of templates/: instance user data, `amifleet new` scaffolding, `amifleet docs` pages. */
export type TemplateKind = 'user-data' | 'scaffold' | 'docs';

/** Templates are short; anything larger is a mistake. */
export const MAX_TEMPLATE_FILE_BYTES = 1024 * 1024;

/** A template found and read: its path and text. */
export interface TemplateFile {
  readonly file: string;
  readonly source: string;
}

/** Why a template could not be read, and a fix when one is obvious. */
export interface TemplateFileProblem {
  readonly problem: string;
  readonly suggestion?: string;
}

/** amifleet's own templates/, beside its package.json (in the source tree or the installed package). */
export function bundledTemplatesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return join(dir, 'templates');
  }
  return resolve(__dirname, '..', 'templates');
}

/** What marks a project's root: the search for templates/ goes no higher. */
const PROJECT_ROOT_MARKERS = ['package.json', 'cdktf.json', '.git'];

/**
 * The templates/ of the project a fleet file belongs to: in the nearest folder above the file's
 * folder that has one, so `fleets/web.yaml` and `fleets/prod/web.yaml` both use the project's
 * `templates/`. The search stops at the project's root (package.json, cdktf.json or .git); with
 * no templates/ on the way, it is the one beside the file's folder, where `amifleet new` puts it.
 */
export function projectTemplatesDir(fleetFile: string): string {
  const above = dirname(dirname(resolve(fleetFile)));
  for (let dir = above; ; dir = dirname(dir)) {
    const templates = join(dir, 'templates');
    if (isFolder(templates)) return templates;
    if (dir === dirname(dir) || PROJECT_ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return join(above, 'templates');
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Reads `<templates>/<kind>/<name>` from the project's templates/ when it has that file, else from
 * amifleet's bundled templates/. A name that leads outside the folder (absolute, `..`, or a link
 * out of templates/) is refused.
 */
export function readTemplateFile(kind: TemplateKind, name: string, projectTemplates?: string): TemplateFile | TemplateFileProblem {
  if (name.trim() === '' || isAbsolute(name) || name.split(/[\\/]/).includes('..') || name.includes('\0')) {
    return {
      problem: `"${name}" leads outside templates/${kind}/; a template must be a file inside that folder`,
      suggestion: `write a name relative to templates/${kind}/, such as ${kind === 'user-data' ? 'web.sh.hbs' : 'fleet.md.hbs'}`,
    };
  }
  const roots = [...new Set([projectTemplates, bundledTemplatesDir()].filter((r): r is string => r !== undefined).map((r) => resolve(r)))];
  for (const root of roots) {
    const file = join(root, kind, name);
    if (!existsSync(file)) continue;
    const real = realpathSync(file);
    if (!isInside(realpathSync(root), real)) {
      return { problem: `${displayPath(file)} leads to ${real}, outside templates/; a template must be a file inside templates/` };
    }
    const stat = statSync(real);
    if (!stat.isFile()) return { problem: `${displayPath(file)} is not a file` };
    if (stat.size > MAX_TEMPLATE_FILE_BYTES) {
      return { problem: `${displayPath(file)} is ${stat.size} bytes; a template may be at most ${MAX_TEMPLATE_FILE_BYTES} bytes` };
    }
    const source = readFileSync(real, 'utf8');
    if (source.includes('\0') || source.includes('\uFFFD')) return { problem: `${displayPath(file)} is not UTF-8 text` };
    return { file, source };
  }
  const known = [...new Set(roots.flatMap((r) => templateNames(join(r, kind))))].sort();
  return {
    problem: `no template "${name}" in ${roots.map((r) => `${displayPath(join(r, kind))}/`).join(' or ')}`,
    suggestion: didYouMean(name, known) ?? (known.length > 0 ? `templates there: ${known.join(', ')}` : undefined),
  };
}

/** A path as a person wants to read it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function templateNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

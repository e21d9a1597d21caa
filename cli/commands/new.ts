import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { FleetSchema } from '../../modules/fleet/fleet-spec';
import { awsCatalog, awsRegion } from '../../modules/fleet/aws-catalog';
import { didYouMean } from '../../modules/fleet/closest-name';
import { StrictTemplates, TemplateError } from '../../modules/rendering/strict-templates';
import { formatPath } from '../../modules/fleet/fleet-validation-error';
import type { FieldPath } from '../../modules/fleet/schema-problems';
import { formatDiagnostic, type Diagnostic } from '../../loader/diagnostic';
import { loadFleetFile } from '../../loader/load-fleet';
import { readTemplateFile } from '../../loader/template-files';
import { complain, EXIT, Exit } from '../exit';
import { packageRoot } from '../package-root';

interface NewOptions {
  readonly region: string[];
  readonly source: string;
  readonly sourceRegion?: string;
  readonly instanceType: string;
  readonly force?: boolean;
}

/** The image a scaffolded fleet starts from: exactly one of the three is set. */
interface ScaffoldSource {
  readonly ami: string;
  readonly ssmParameter: string;
  readonly al2023: boolean;
}

const SOURCE_FORMS = 'al2023 (the newest Amazon Linux 2023, the default), ami-<id> (a pinned image) or ssm:<parameter name>';

const scaffoldTemplates = new StrictTemplates({ json: (value) => JSON.stringify(value) });

export function registerNew(program: Command): void {
  program.command('new')
    .description('scaffold fleets/<fleet>.yaml and templates/user-data/<fleet>.sh.hbs in the current directory')
    .argument('<fleet>', 'fleet name: a lowercase letter, then up to 30 lowercase letters, digits or -')
    .option('-r, --region <region>', 'a region of the fleet; repeat for more (default: us-east-1)', (r: string, all: string[]) => [...all, r], [])
    .option('-s, --source <source>', `the golden image: ${SOURCE_FORMS}`, 'al2023')
    .option('--source-region <region>', 'region where the golden image lives (default: the first --region)')
    .option('-t, --instance-type <type>', 'instance type of the launch templates', 't3.micro')
    .option('-f, --force', 'overwrite files that already exist')
    .action((fleet: string, options: NewOptions) => scaffoldFleet(fleet, options));
}

function scaffoldFleet(fleet: string, options: NewOptions): void {
  const usage = (message: string): never => {
    complain(`amifleet new: ${message}`);
    throw new Exit(EXIT.usage);
  };
  const name = FleetSchema.shape.fleet.safeParse(fleet);
  if (!name.success) usage(`fleet name "${fleet}" ${name.error.issues[0].message}`);
  const regions = [...new Set(options.region.length > 0 ? options.region : ['us-east-1'])];
  const sourceRegion = options.sourceRegion ?? regions[0];
  for (const [flag, region] of [...regions.map((r) => ['--region', r]), ['--source-region', sourceRegion]]) {
    if (!awsRegion(region)) {
      const hint = didYouMean(region, awsCatalog().regions.keys());
      usage(`${flag} "${region}" is not an AWS region${hint ? ` (${hint})` : ''}`);
    }
  }
  if (options.instanceType.trim() === '') usage('--instance-type must not be empty');
  const source = scaffoldSource(options.source, sourceRegion) ?? usage(`--source "${options.source}" must be ${SOURCE_FORMS}`);

  const files = {
    fleet: join('fleets', `${fleet}.yaml`),
    userData: join('templates', 'user-data', `${fleet}.sh.hbs`),
  };
  const existing = Object.values(files).filter((f) => existsSync(f));
  if (existing.length > 0 && !options.force) {
    complain(`amifleet new: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing written (--force overwrites)`);
    throw new Exit(EXIT.invalid);
  }
  const values = {
    fleet, regions, sourceRegion, source, instanceType: options.instanceType, schema: scaffoldSchema(files.fleet),
    description: `${fleet}: what this fleet runs`, userDataTemplate: `${fleet}.sh.hbs`,
    // Several per-region stacks resolving an unpinned source warn (unpinned-source-across-stacks); a new fleet says why it accepts that.
    unpinnedAcrossStacks: source.ami === '' && regions.length > 1,
  };
  const texts = {
    fleet: renderScaffold('fleet.yaml.hbs', values),
    userData: renderScaffold('user-data.sh.hbs', values),
  };
  const flags: FlagField[] = [
    { flag: '<fleet>', value: fleet, path: ['fleet'] },
    ...regions.map((r): FlagField => ({ flag: '--region', value: r, path: ['regions', r], key: true })),
    // Without --source-region, the first --region is the source region.
    { flag: options.sourceRegion === undefined ? '--region' : '--source-region', value: sourceRegion, path: ['source', 'region'] },
    ...(source.ami ? [{ flag: '--source', value: options.source, path: ['source', 'ami'], written: source.ami }] : []),
    ...(source.ssmParameter ? [{ flag: '--source', value: options.source, path: ['source', 'ssmParameter'], written: source.ssmParameter }] : []),
    { flag: '--instance-type', value: options.instanceType, path: ['launchTemplate', 'instanceType'] },
  ];
  writeCheckedScaffold(files, texts, flags);
  process.stdout.write(`created ${files.fleet} and ${files.userData}\nnext: npx amifleet synth ${files.fleet}\n`);
}

/** Packages that ship fleet.schema.json, in the order a project's node_modules is searched. */
const SCHEMA_PACKAGES = ['amifleet', 'amifleet-cli'];

/**
 * Where the scaffold's `$schema` points, relative to the fleet file so that it holds in every
 * clone: inside amifleet's own tree, its schema; else the schema of the amifleet the project
 * installed (the nearest node_modules up); with neither (a global CLI only), the running CLI's,
 * as an absolute path.
 */
function scaffoldSchema(fleetFile: string): string {
  const fleetDir = dirname(resolve(fleetFile));
  const own = join(packageRoot(), 'fleet.schema.json');
  const fromFleet = (schema: string): string => relative(fleetDir, schema).split(sep).join('/');
  if (isInside(packageRoot(), fleetDir)) return fromFleet(own);
  for (let dir = fleetDir; ; dir = dirname(dir)) {
    const installed = SCHEMA_PACKAGES.map((name) => join(dir, 'node_modules', name, 'fleet.schema.json')).find((f) => existsSync(f));
    if (installed) return fromFleet(installed);
    if (dir === dirname(dir)) return own;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** `al2023`, `ami-...` or `ssm:/...` as the fleet file's source; undefined when it is none of them. */
function scaffoldSource(form: string, region: string): ScaffoldSource | undefined {
  const none = { ami: '', ssmParameter: '', al2023: false };
  if (form === 'al2023') return { ...none, al2023: true };
  const candidate = form.startsWith('ssm:') ? { ...none, ssmParameter: form.slice('ssm:'.length) }
    : form.startsWith('ami-') ? { ...none, ami: form } : undefined;
  if (candidate === undefined) return undefined;
  const checked = FleetSchema.shape.source.safeParse(candidate.ami ? { region, ami: candidate.ami } : { region, ssmParameter: candidate.ssmParameter });
  return checked.success ? candidate : undefined;
}

function renderScaffold(name: string, values: Record<string, unknown>): string {
  const found = readTemplateFile('scaffold', name, resolve('templates'));
  if ('problem' in found) {
    complain(`amifleet new: ${found.problem}${found.suggestion ? ` (${found.suggestion})` : ''}`);
    throw new Exit(EXIT.invalid);
  }
  try {
    return scaffoldTemplates.render({ name: found.file, source: found.source }, values);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    complain(`amifleet new: ${e.message}`);
    throw new Exit(EXIT.invalid);
  }
}

/** A field of the scaffolded fleet that a command-line value set. */
interface FlagField {
  /** `--instance-type`, or `<fleet>` for the argument. */
  readonly flag: string;
  /** As given on the command line. */
  readonly value: string;
  readonly path: FieldPath;
  /** The value is the key at `path` (a region name), not the field's value. */
  readonly key?: boolean;
  /** What the field holds when the flag set it; @default value */
  readonly written?: string;
}

/**
 * The flag that caused each error, when a flag caused every one of them: an error at a field a
 * flag set, holding what the flag gave (so a scaffold template that writes the field its own way
 * is the template's fault). Undefined when some error is no flag's.
 */
function flagErrors(errors: readonly Diagnostic[], flags: readonly FlagField[], fleet: unknown): string[] | undefined {
  const messages: string[] = [];
  for (const d of errors) {
    const field = flags.find((f) => formatPath(f.path) === d.path && (f.key
      ? Object.prototype.hasOwnProperty.call(valueAt(fleet, f.path.slice(0, -1)) ?? {}, f.value)
      : valueAt(fleet, f.path) === (f.written ?? f.value)));
    if (!field) return undefined;
    messages.push(`${field.flag} "${field.value}": ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}`);
  }
  return [...new Set(messages)];
}

function valueAt(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((node, step) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined), value);
}

/**
 * Writes the scaffold into a staging copy of the project first and loads it there as `validate`
 * would; only a fleet that validates (user data included) is moved into place. An error that a
 * flag's value caused is a usage error naming the flag; any other is the scaffold templates'.
 */
function writeCheckedScaffold(files: Record<'fleet' | 'userData', string>, texts: Record<'fleet' | 'userData', string>,
  flags: readonly FlagField[]): void {
  const staging = mkdtempSync(resolve('.amifleet-new-'));
  try {
    for (const key of ['fleet', 'userData'] as const) {
      mkdirSync(dirname(join(staging, files[key])), { recursive: true });
      writeFileSync(join(staging, files[key]), texts[key]);
    }
    const loaded = loadFleetFile(join(staging, files.fleet));
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const usage = errors.length > 0 ? flagErrors(errors, flags, loaded.document?.value) : undefined;
    if (usage) {
      for (const message of usage) complain(`amifleet new: ${message}`);
      throw new Exit(EXIT.usage);
    }
    if (errors.length > 0) {
      for (const d of loaded.diagnostics) complain(`${formatDiagnostic({ ...d, file: files.fleet })}`);
      complain('amifleet new: the scaffold templates made an invalid fleet; nothing written');
      throw new Exit(EXIT.invalid);
    }
    for (const key of ['fleet', 'userData'] as const) {
      mkdirSync(dirname(files[key]), { recursive: true });
      renameSync(join(staging, files[key]), files[key]);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

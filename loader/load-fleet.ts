import { readFileSync, statSync } from 'node:fs';
import type { Fleet } from '../modules/fleet/fleet-spec';
import { keysAllowedAt } from '../modules/fleet/fleet-json-schema';
import { formatPath } from '../modules/fleet/fleet-validation-error';
import { validateFleet, type FleetValidation } from '../modules/fleet/fleet-validation';
import { fieldProblems } from '../modules/fleet/schema-problems';
import { byPosition, type Diagnostic } from './diagnostic';
import { FleetDocument, type FieldPath } from './fleet-document';
import type { UserDataTemplate } from '../modules/rendering/user-data';
import { loadUserDataTemplate } from './user-data-template';

/** Fleet files are short; anything larger is a mistake (or an attack on the parser). */
export const MAX_FLEET_FILE_BYTES = 1024 * 1024;

export interface LoadedFleet {
  readonly file: string;
  /** The validated fleet; undefined when the file has errors. */
  readonly fleet?: Fleet;
  /** The parsed document, for positions of later checks. */
  readonly document?: FleetDocument;
  /** The fleet's user data template, read and checked in every region; undefined when it has none. */
  readonly userDataTemplate?: UserDataTemplate;
  readonly diagnostics: Diagnostic[];
}

/** Reads, parses and validates one fleet file. Never throws for a user's mistake. */
export function loadFleetFile(file: string): LoadedFleet {
  const fail = (message: string, line = 1, col = 1): LoadedFleet =>
    ({ file, diagnostics: [{ file, line, col, path: '', message, severity: 'error' }] });
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return fail('is a directory, not a fleet file');
    // Reading a FIFO or a device (/dev/zero) would wait or run forever.
    if (!stat.isFile()) return fail('is not a regular file (a FIFO, device or socket), not a fleet file');
    if (stat.size > MAX_FLEET_FILE_BYTES) return fail(`is ${stat.size} bytes; a fleet file may be at most ${MAX_FLEET_FILE_BYTES} bytes`);
    bytes = readFileSync(file);
  } catch (e) {
    return fail(`cannot read: ${ioReason(e)}`);
  }
  return loadFleetText(file, bytes);
}

/**
 * Validates fleet text exactly as `loadFleetFile` validates a file's bytes, user data template
 * included (found beside `file`): for text about to be written there, checked before it is.
 */
export function loadFleetText(file: string, bytes: Buffer | string): LoadedFleet {
  return withUserDataTemplate(validateFleetText(file, bytes));
}

/**
 * Reads the fleet's user data template and renders it per region; its problems fail the file. It
 * is checked beside the fleet's other errors, unless it reads a field the schema rejected (its
 * name, vars, or what a region renders it with): then once that field is fixed.
 */
function withUserDataTemplate({ loaded, validation }: CheckedText): LoadedFleet {
  const document = loaded.document;
  if (!validation || !document) return loaded;
  const checked = validation.checkAccepted((fleet) => loadUserDataTemplate(loaded.file, fleet));
  if (!checked) return loaded;
  if (checked.problems.length === 0) return loaded.fleet ? { ...loaded, userDataTemplate: checked.template } : loaded;
  const problems = checked.problems.map((p) => at(document, loaded.file, p.path, p.atKey, { message: p.message, suggestion: p.suggestion }));
  return { file: loaded.file, document, diagnostics: [...loaded.diagnostics, ...problems].sort(byPosition) };
}

/** Parses and validates fleet text; `file` is only used to name positions. */
export function parseFleetText(file: string, bytes: Buffer | string): LoadedFleet {
  return validateFleetText(file, bytes).loaded;
}

interface CheckedText {
  readonly loaded: LoadedFleet;
  /** The validation of the fleet, when the text was a map to validate. */
  readonly validation?: FleetValidation;
}

function validateFleetText(file: string, bytes: Buffer | string): CheckedText {
  const text = fleetText(file, bytes);
  if ('diagnostics' in text) return { loaded: text };
  const { document, value } = text;
  const validation = validateFleet(value);
  const diagnostics = [
    ...fieldProblems(validation.schemaIssues, keysAllowedAt, (path) => document.sourceTextOf(path))
      .map((p) => at(document, file, p.path, p.atKey, p)),
    ...validation.ruleIssues.map((i) => at(document, file, i.path, i.atKey ?? false, i)),
  ];
  return {
    loaded: { file, fleet: validation.failed ? undefined : validation.fleet, document, diagnostics: diagnostics.sort(byPosition) },
    validation,
  };
}

/** The parsed document of fleet text when it is a map of fields, or why it is not. */
function fleetText(file: string, bytes: Buffer | string): LoadedFleet | { document: FleetDocument; value: object } {
  const fail = (message: string): LoadedFleet =>
    ({ file, diagnostics: [{ file, line: 1, col: 1, path: '', message, severity: 'error' }] });
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (buffer.includes(0)) return fail('is not a text file (it holds NUL bytes)');
  const text = buffer.toString('utf8');
  if (text.includes('\uFFFD')) return fail('is not valid UTF-8 text');
  if (text.trim() === '') return fail('is empty: a fleet needs at least fleet, source, regions and launchTemplate');
  const document = FleetDocument.parse(text);
  if (document.problems.length > 0) {
    return {
      file, document,
      diagnostics: document.problems.map((p) => ({
        file, line: p.line, col: p.col, path: formatPath(p.path ?? []), message: p.message, suggestion: p.suggestion, severity: 'error' as const,
      })),
    };
  }
  const value = document.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { file, document, diagnostics: [{ file, line: 1, col: 1, path: '', message: 'must be a map of fleet fields (fleet, source, regions, launchTemplate, ...)', severity: 'error' }] };
  }
  return { document, value };
}

/** A diagnostic at a field of a parsed fleet file. */
export function at(document: FleetDocument, file: string, path: FieldPath, atKey: boolean,
  what: { message: string; suggestion?: string; severity?: 'error' | 'warning'; rule?: string }): Diagnostic {
  const { line, col } = document.positionOf(path, atKey);
  return {
    file, line, col, path: formatPath(path), message: what.message, suggestion: what.suggestion,
    severity: what.severity ?? 'error', ...(what.rule ? { rule: what.rule } : {}),
  };
}

/** Why a read failed, in words: `permission denied` for EACCES. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory', ELOOP: 'too many symbolic links',
  };
  return (code && reasons[code]) ?? (e as Error).message;
}

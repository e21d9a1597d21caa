import type { Fleet } from '../fleet/fleet-spec';
import { fleetTags } from '../fleet/fleet-tags';
import { formatPath } from '../fleet/fleet-validation-error';
import { StrictTemplates, TemplateError, type TemplateText } from './strict-templates';

/** EC2 accepts at most 16 KB of user data, counted before base64. */
export const USER_DATA_MAX_BYTES = 16384;

/** An image id of real length: user data is measured with it before Terraform knows the copy's id. */
export const EXAMPLE_IMAGE_ID = 'ami-0123456789abcdef0';

/** What every user data template sees besides the fleet's vars; vars may not reuse these names. */
export const USER_DATA_NAMES = ['fleet', 'region', 'amiId', 'instanceType', 'tags', 'account', 'accountId'] as const;

/** A user data template: the file name under `templates/user-data/`, and its text. */
export type UserDataTemplate = TemplateText;

/** What a user data template is rendered with, for one region. */
export interface UserDataValues {
  readonly fleet: string;
  readonly region: string;
  /** The region's image copy id: a Terraform reference inside the constructs. */
  readonly amiId: string;
  /** The instance type of this region (its override, or the fleet's). */
  readonly instanceType: string;
  /** The tags amifleet puts on this region's resources. */
  readonly tags: Readonly<Record<string, string>>;
  /** `launchTemplate.userData.vars`. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The entry of `accounts` the region is in; undefined in the credentials' own account. */
  readonly account?: string;
  /** That entry's id; undefined in the credentials' own account. */
  readonly accountId?: string;
}

/** The entry of `accounts` whose region user data is rendered for. */
export interface UserDataAccount {
  readonly name: string;
  readonly id: string;
}

/** The values a fleet's user data template sees in one region. */
export function userDataValues(fleet: Fleet, region: string, amiId: string, account?: UserDataAccount): UserDataValues {
  return {
    account: account?.name,
    accountId: account?.id,
    fleet: fleet.fleet,
    region,
    amiId,
    instanceType: fleet.regions[region]?.instanceType ?? fleet.launchTemplate.instanceType,
    tags: fleetTags(fleet, region),
    vars: fleet.launchTemplate.userData?.vars ?? {},
  };
}

const templates = new StrictTemplates({
  /** JSON text of a value: a quoted string for JSON, YAML and systemd, a whole document for maps. */
  json: (value) => JSON.stringify(defined(value)),
  /** POSIX shell single quotes; a list becomes its items, each quoted, separated by spaces. */
  shellQuote: (value) => (Array.isArray(value) ? value.map(shellWord).join(' ') : shellWord(value)),
  /** The value as text, refusing line breaks (a unit file directive, a header). */
  oneLine: (value) => {
    const text = scalarText(value);
    if (/[\r\n]/.test(text)) throw new Error('the value must be one line; it holds a line break');
    return text;
  },
});

/**
 * Renders user data for one region: strict (a missing variable is an error with its line), no
 * HTML escaping, no prototype access, at most 16 KB once Terraform has put the real image id in.
 *
 * @example
 * renderUserData({ name: 'motd.sh.hbs', source: '#!/bin/sh\necho {{shellQuote fleet}} in {{region}}' },
 *   userDataValues(fleet, 'eu-west-1', copy.imageId));
 */
export function renderUserData(template: UserDataTemplate, values: UserDataValues): string {
  const vars = plainData(template.name, values.vars, ['vars']) as Record<string, unknown>;
  for (const name of USER_DATA_NAMES) {
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      const what = `"${name}" is set by amifleet for every region; give the variable another name`;
      throw new TemplateError(template.name, `vars.${name}: ${what}`, { kind: 'value', field: ['vars', name], what });
    }
  }
  const data = {
    ...vars,
    fleet: values.fleet,
    region: values.region,
    amiId: values.amiId,
    instanceType: values.instanceType,
    tags: { ...values.tags },
    // Always present, so a template may test {{#if account}} in the credentials' own account too.
    account: values.account,
    accountId: values.accountId,
  };
  const text = templates.render(template, data);
  const bytes = Buffer.byteLength(values.amiId === '' ? text : text.split(values.amiId).join(EXAMPLE_IMAGE_ID), 'utf8');
  if (bytes > USER_DATA_MAX_BYTES) {
    throw new TemplateError(template.name,
      `renders to ${bytes} bytes of user data in ${values.region}; EC2 allows at most ${USER_DATA_MAX_BYTES} bytes (16 KB) before base64`,
      { kind: 'too-large', bytes, limit: USER_DATA_MAX_BYTES });
  }
  return text;
}

/** A copy of fleet values holding only text, numbers, true/false, lists and maps. */
function plainData(template: string, value: unknown, field: (string | number)[]): unknown {
  const fail = (what: string): never => {
    throw new TemplateError(template, `${formatPath(field)}: ${what}`, { kind: 'value', field, what });
  };
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail('must be a finite number');
  if (value === null || value === undefined) return fail('has no value (give it one, or remove it)');
  if (Array.isArray(value)) return value.map((item, i) => plainData(template, item, [...field, i]));
  const proto = Object.getPrototypeOf(value);
  if (typeof value === 'object' && (proto === Object.prototype || proto === null)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainData(template, v, [...field, k])]));
  }
  return fail('must be text, a number, true/false, a list or a map');
}

function defined(value: unknown): unknown {
  if (value === undefined) throw new Error('needs a value');
  return value;
}

function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`needs text, a number or true/false, not ${Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : 'a map'}`);
}

function shellWord(value: unknown): string {
  return `'${scalarText(value).replace(/'/g, `'\\''`)}'`;
}

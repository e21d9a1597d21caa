import fc from 'fast-check';
import { stringify } from 'yaml';
import type { FleetInput } from '../../modules/fleet/fleet-spec';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
// KMS key ids are RFC 4122 v4 UUIDs: version digit 4, variant digit 8, 9, a or b.
const kmsKey = (region: string) => fc.tuple(hex(30), fc.constantFrom(...'89ab')).map(([h, variant]) =>
  `arn:aws:kms:${region}:111122223333:key/${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${variant}${h.slice(15, 18)}-${h.slice(18)}`);

type Arch = 'x86_64' | 'arm64';
// A valid fleet's instance types run its image's architecture (instance-type-architecture-mismatch).
const INSTANCE_TYPES: Record<Arch, string[]> = { x86_64: ['t3.micro', 'm5.xlarge', 'm7i.large'], arm64: ['t4g.small', 'c7g.large', 'm7g.large'] };

const source = (arch: Arch) => fc.oneof(
  hex(17).map((h) => ({ ami: `ami-${h}` })),
  fc.record({ owners: fc.constant<string[]>(['amazon']), name: fc.constant('al2023-ami-*'), architecture: fc.constant(arch) })
    .map((lookup) => ({ lookup })),
  fc.constant({ ssmParameter: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}` }),
).chain((s) => fc.constantFrom(...REGIONS).map((region) => ({ region, ...s })));

const regionSettings = (region: string, arch: Arch) => fc.record({
  kmsKeyId: kmsKey(region),
  instanceType: fc.constantFrom(...INSTANCE_TYPES[arch]),
  securityGroupIds: fc.array(hex(17).map((h) => `sg-${h}`), { maxLength: 2 }),
  tags: fc.dictionary(fc.constantFrom('owner', 'cost-center', 'tier'), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
}, { requiredKeys: [] });

/** Valid fleets over much of the contract: every source kind, region overrides, copy, template, publish, state, layout. */
export const validFleet: fc.Arbitrary<FleetInput> = fc.constantFrom<Arch>('x86_64', 'arm64').chain((arch) => fc.record({
  fleet: fc.constantFrom('web', 'api', 'batch-workers'),
  source: source(arch),
  regions: fc.shuffledSubarray(REGIONS, { minLength: 1, maxLength: 3 })
    .chain((names) => fc.tuple(...names.map((r) => regionSettings(r, arch))).map((s) => Object.fromEntries(names.map((r, i) => [r, s[i]])))),
  tags: fc.dictionary(fc.constantFrom('team', 'app', 'env'), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  copy: fc.record({ deprecateAfterDays: fc.integer({ min: 1, max: 3650 }), timeoutMinutes: fc.integer({ min: 1, max: 600 }) }, { requiredKeys: [] }),
  launchTemplate: fc.record({
    instanceType: fc.constantFrom(...INSTANCE_TYPES[arch]),
    keyName: fc.constant('ops'),
    metadata: fc.record({ httpTokens: fc.constantFrom('required', 'optional'), hopLimit: fc.integer({ min: 1, max: 64 }) }),
    rootVolume: fc.record({ sizeGiB: fc.integer({ min: 125, max: 1024 }), type: fc.constantFrom('gp3', 'gp2', 'io2', 'st1', 'standard') }),
  }, { requiredKeys: ['instanceType'] }),
  publish: fc.constant({ ssmParameter: '/amifleet/app/ami-id' }),
  state: fc.oneof(
    fc.constant({ backend: 'local' as const }),
    fc.constant({ backend: 's3' as const, bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: 'amifleet' }),
    fc.constant({ backend: 'cloud' as const, organization: 'acme', workspacePrefix: 'amifleet-' }),
  ),
  layout: fc.constantFrom('per-region' as const, 'single' as const),
}, { requiredKeys: ['fleet', 'source', 'regions', 'launchTemplate'] }));

/** One edit a person (or a careless script) makes to a fleet file. */
export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'retype'; at: number; value: Json }
  | { kind: 'unknown-key'; at: number; key: string; value: Json }
  | { kind: 'garble'; at: number; text: string; where: number }
  | { kind: 'swap'; at: number; with: number };

const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant('unknown-key' as const), at: fc.nat(), key: fc.string({ minLength: 1, maxLength: 12 }), value: junk }),
  fc.record({ kind: fc.constant('garble' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 4 }), where: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
);

/** A valid fleet after one to three mutations, as the text of a YAML or JSON file. */
export const mutatedFleetText: fc.Arbitrary<{ text: string; json: boolean }> = fc.record({
  fleet: validFleet, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), json: fc.boolean(),
}).map(({ fleet, mutations, json }) => {
  const value = mutations.reduce<Json>((v, m) => mutate(v, m), JSON.parse(JSON.stringify(fleet)) as Json);
  return { text: json ? JSON.stringify(value, null, 2) : stringify(value), json };
});

export function mutate(value: Json, m: Mutation): Json {
  const out = JSON.parse(JSON.stringify(value)) as Json;
  const nodes = pathsIn(out);
  const path = nodes[m.at % nodes.length];
  const parent = path.length > 0 ? get(out, path.slice(0, -1)) : undefined;
  const key = path[path.length - 1];
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else if (parent && typeof parent === 'object') delete parent[key as string];
      return out;
    case 'retype':
      return path.length === 0 ? m.value : set(out, path, m.value);
    case 'unknown-key': {
      const maps = nodes.filter((p) => isMap(get(out, p)));
      if (maps.length === 0) return out;
      const target = get(out, maps[m.at % maps.length]) as { [k: string]: Json };
      target[m.key] = m.value;
      return out;
    }
    case 'garble': {
      const strings = nodes.filter((p) => typeof get(out, p) === 'string');
      if (strings.length === 0) return out;
      const p = strings[m.at % strings.length];
      const s = get(out, p) as string;
      const i = m.where % (s.length + 1);
      return set(out, p, s.slice(0, i) + m.text + s.slice(i + 1));
    }
    case 'swap': {
      const scalars = nodes.filter((p) => p.length > 0 && !isMap(get(out, p)) && !Array.isArray(get(out, p)));
      if (scalars.length < 2) return out;
      const a = scalars[m.at % scalars.length];
      const b = scalars[m.with % scalars.length];
      const va = get(out, a) as Json;
      set(out, a, get(out, b) as Json);
      return set(out, b, va);
    }
  }
}

function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function pathsIn(v: Json, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((item, i) => pathsIn(item, [...prefix, i]))];
  if (isMap(v)) return [prefix, ...Object.keys(v).flatMap((k) => pathsIn(v[k], [...prefix, k]))];
  return [prefix];
}

function get(v: Json, path: Path): Json | undefined {
  return path.reduce<Json | undefined>((node, step) => (node !== null && typeof node === 'object' ? (node as Record<string, Json>)[step] : undefined), v);
}

function set(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  (get(root, path.slice(0, -1)) as Record<string | number, Json>)[path[path.length - 1]] = value;
  return root;
}

/**
 * One mistake in one field of a fleet, whose errors depend on that field alone: a misspelt
 * region or instance type, a value of the wrong type, out of range or badly formed, a
 * required field left out, an unknown key.
 */
export interface FieldMistake {
  /** The field it changes; two mistakes are independent when neither path holds the other. */
  readonly path: Path;
  readonly what: string;
  readonly apply: (fleet: { [key: string]: Json }) => void;
}

/** Every mistake `fieldMistakes` knows for this (valid) fleet. */
export function fieldMistakes(fleet: { [key: string]: Json }): FieldMistake[] {
  const out: FieldMistake[] = [];
  const setTo = (path: Path, value: Json, what: string) => {
    if (get(fleet, path) !== undefined) out.push({ path, what, apply: (f) => { set(f, path, value); } });
  };
  const remove = (path: Path, what: string, reported: Path = path) => {
    if (get(fleet, path) === undefined) return;
    out.push({ path: reported, what, apply: (f) => { delete (get(f, path.slice(0, -1)) as { [k: string]: Json })[path[path.length - 1] as string]; } });
  };
  const addKey = (path: Path) => {
    if (isMap(get(fleet, path))) out.push({ path: [...path, 'colour'], what: `unknown key at ${path.join('.')}`, apply: (f) => { (get(f, path) as { [k: string]: Json }).colour = 'blue'; } });
  };
  const regions = Object.keys(fleet.regions as object);
  for (const r of regions) {
    out.push({
      path: ['regions', r], what: `region ${r} misspelt`,
      apply: (f) => { f.regions = Object.fromEntries(Object.entries(f.regions as object).map(([k, v]) => [k === r ? `${k}x` : k, v])); },
    });
    const type = get(fleet, ['regions', r, 'instanceType']);
    if (typeof type === 'string') setTo(['regions', r, 'instanceType'], `${type}x`, `${r} instance type misspelt`);
    setTo(['regions', r, 'kmsKeyId'], 'not-a-key-arn', `${r} KMS key not an ARN`);
    setTo(['regions', r, 'securityGroupIds', 0], 'sg-1', `${r} security group id too short`);
    addKey(['regions', r]);
  }
  setTo(['launchTemplate', 'instanceType'], `${get(fleet, ['launchTemplate', 'instanceType']) as string}x`, 'instance type misspelt');
  setTo(['fleet'], 42, 'fleet name a number');
  setTo(['source', 'region'], 42, 'source region a number');
  setTo(['source', 'ami'], 'ami-xyz', 'AMI id badly formed');
  setTo(['launchTemplate', 'keyName'], 42, 'key name a number');
  setTo(['launchTemplate', 'metadata', 'hopLimit'], 65, 'hop limit above 64');
  setTo(['launchTemplate', 'metadata', 'httpTokens'], 'requird', 'httpTokens misspelt');
  setTo(['launchTemplate', 'rootVolume', 'sizeGiB'], 'big', 'root volume size a string');
  setTo(['launchTemplate', 'rootVolume', 'type'], 'gp4', 'unknown volume type');
  setTo(['copy', 'deprecateAfterDays'], 0, 'deprecation after 0 days');
  setTo(['copy', 'timeoutMinutes'], 'long', 'timeout a string');
  setTo(['publish', 'ssmParameter'], 'no-slash', 'SSM parameter without /');
  setTo(['layout'], 'per-regoin', 'layout misspelt');
  setTo(['state', 'bucket'], 42, 'bucket a number');
  for (const key of Object.keys((fleet.tags ?? {}) as object)) setTo(['tags', key], 42, `tag ${key} a number`);
  remove(['fleet'], 'fleet name left out');
  remove(['source', 'region'], 'source region left out');
  remove(['launchTemplate', 'instanceType'], 'instance type left out');
  for (const image of ['ami', 'lookup', 'ssmParameter']) remove(['source', image], 'image source left out');
  for (const map of [[], ['source'], ['launchTemplate'], ['launchTemplate', 'metadata'], ['copy'], ['state']]) addKey(map);
  return out;
}

/** The fleet with the mistakes made, each in its own field. */
export function withMistakes(fleet: FleetInput, mistakes: readonly FieldMistake[]): Json {
  const out = JSON.parse(JSON.stringify(fleet)) as { [key: string]: Json };
  for (const m of mistakes) m.apply(out);
  return out;
}

/** A valid fleet and two or three mistakes in it, none in a field that holds another's. */
export const independentMistakes: fc.Arbitrary<{ fleet: FleetInput; mistakes: FieldMistake[] }> = fc.record({
  fleet: validFleet, picks: fc.array(fc.nat(), { minLength: 2, maxLength: 3 }),
}).map(({ fleet, picks }) => {
  const candidates = fieldMistakes(JSON.parse(JSON.stringify(fleet)) as { [key: string]: Json });
  const mistakes: FieldMistake[] = [];
  for (const pick of picks) {
    const m = candidates[pick % candidates.length];
    if (!mistakes.some((o) => holds(o.path, m.path) || holds(m.path, o.path))) mistakes.push(m);
  }
  return { fleet, mistakes };
});

function holds(outer: Path, inner: Path): boolean {
  return outer.length <= inner.length && outer.every((step, i) => String(step) === String(inner[i]));
}

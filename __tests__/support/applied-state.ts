import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AwsDouble, ImageRecord } from './aws-double';
import { planStack, type PlanResult } from './terraform-cli';

// A Terraform state (format v4) "as if the first plan had been applied", for planning a stack a
// second time without AWS. Every managed resource instance the plan would create (or update, or
// import) gets the values Terraform planned for it (for_each keys as `index_key`); the data
// sources the plan read keep what they read. What only apply would know (`after_unknown`) is of
// two kinds, told apart by the configuration's expressions:
//
// - computed by the provider (not in the configuration: ids, ARNs, `latest_version`, the copy's
//   `ebs_block_device`): a plausible fake from FAKES, deterministic (seeded by stack and
//   address), for an image copy taken from its source image (architecture, devices, with a
//   snapshot each);
// - computed by Terraform from other resources' unknowns (in the configuration: a launch
//   template's `image_id`, user data holding the image id, a snapshot tag's `resource_id`):
//   left null at first, then the stack is planned again with `-refresh=false` against this state
//   and each such value becomes what that plan says it is, until a plan changes none of them.
//
// A value known in the first plan is never replaced by what a later plan says: a later plan that
// wants to change it shows a real difference between what amifleet asks for and what it would
// get (a value the provider normalises, `tags_all`, a `plantimestamp()` without
// `ignore_changes`), which is exactly what a second-plan test must see. Outputs are handled the
// same way. The copies join the AWS double's world as images with their snapshots (the provider
// reads a snapshot's owner before sharing it). `dependencies` and `create_before_destroy` are
// recorded as Terraform would, from the expressions' references (preconditions' left out).
// Root module only (amifleet's stacks have no modules); `private` is left out (the provider
// keeps only timeouts there, which a plan does not compare).

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];

interface ShownChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: { readonly actions: string[]; readonly after: unknown; readonly after_unknown: unknown; readonly after_sensitive: unknown };
}

interface ShownResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly schema_version: number;
  readonly values: Json;
}

interface ShownConfigResource {
  readonly address: string;
  readonly provider_config_key: string;
  readonly expressions?: Json;
  readonly for_each_expression?: Json;
  readonly depends_on?: string[];
}

/** The parts of `terraform show -json <plan>` this file reads. */
export interface ShownPlan {
  readonly terraform_version: string;
  readonly timestamp: string;
  readonly resource_changes?: ShownChange[];
  readonly output_changes?: Record<string, { actions: string[]; after?: unknown; after_unknown?: unknown }>;
  readonly planned_values: { outputs?: Record<string, { value?: unknown; type?: unknown; sensitive: boolean }>; root_module: { resources?: ShownResource[] } };
  readonly prior_state?: { values?: { root_module?: { resources?: ShownResource[] } } };
  readonly configuration: {
    provider_config: Record<string, { alias?: string; full_name: string; expressions?: { region?: { constant_value?: string } } }>;
    root_module: { resources?: ShownConfigResource[] };
  };
}

export interface AppliedState {
  /** The state, as `terraform.tfstate` holds it. */
  readonly state: Json;
  /** The last `-refresh=false` plan against `state` (with `terraform show -json`): the second plan. */
  readonly plan: PlanResult & { plan: ShownPlan };
  /** How many plans it took after the first. */
  readonly rounds: number;
}

/** What a fake value may depend on. */
interface FakeContext {
  /** `<stack>/<address>`: seeds the fake ids, unique in a world that several stacks share. */
  readonly seed: string;
  readonly address: string;
  readonly region: string;
  readonly accountId: string;
  /** The instance's attributes as they stand (known values, and Terraform-computed ones so far). */
  readonly attributes: Json;
  /** For an image copy, the `aws_ami` data source it copies. */
  readonly source?: Json;
}

type Fake = (c: FakeContext) => unknown;

/** Hex digits derived from `seed`: the same seed gives the same ids in every run. */
function hex(seed: string, length = 17): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** A UUID-shaped id derived from `seed`. */
function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const fromSource = (name: string): Fake => (c) => {
  if (c.source?.[name] === undefined) throw new Error(`${c.address}: its source image has no ${name}`);
  return c.source[name];
};

const imageId = (c: FakeContext): string => `ami-${hex(c.seed)}`;

interface SourceDevice { device_name: string; virtual_name?: string; ebs?: Record<string, string> }

/** The copy's snapshots: one per EBS device of the source image, as DescribeImages reports them. */
function copiedDevices(c: FakeContext): Json[] {
  return ((c.source?.block_device_mappings ?? []) as SourceDevice[])
    .filter((d) => d.ebs && (d.ebs.snapshot_id ?? '') !== '')
    .map((d) => ({
      device_name: d.device_name,
      delete_on_termination: d.ebs!.delete_on_termination === 'true',
      encrypted: c.attributes.encrypted === true,
      iops: Number(d.ebs!.iops ?? 0),
      outpost_arn: '',
      snapshot_id: `snap-${hex(`${c.seed}|${d.device_name}`)}`,
      throughput: Number(d.ebs!.throughput ?? 0),
      volume_size: Number(d.ebs!.volume_size ?? 0),
      volume_type: d.ebs!.volume_type ?? '',
    }))
    .sort((a, b) => a.device_name.localeCompare(b.device_name));
}

/**
 * Values the provider computes at apply, by resource type and attribute path (list indices left
 * out): what AWS and provider 5 would report for what amifleet creates.
 */
const FAKES: Record<string, Record<string, Fake>> = {
  aws_ami_copy: {
    id: imageId,
    arn: (c) => `arn:aws:ec2:${c.region}::image/${imageId(c)}`,
    ...Object.fromEntries(['architecture', 'boot_mode', 'ena_support', 'hypervisor', 'image_type', 'imds_support', 'kernel_id', 'platform',
      'platform_details', 'ramdisk_id', 'root_device_name', 'sriov_net_support', 'tpm_support', 'uefi_data', 'usage_operation', 'virtualization_type']
      .map((name) => [name, fromSource(name)])),
    ebs_block_device: copiedDevices,
    ephemeral_block_device: (c) => ((c.source?.block_device_mappings ?? []) as SourceDevice[])
      .filter((d) => (d.virtual_name ?? '') !== '').map((d) => ({ device_name: d.device_name, virtual_name: d.virtual_name })),
    root_snapshot_id: (c) => copiedDevices(c).find((d) => d.device_name === c.source?.root_device_name)?.snapshot_id ?? '',
    // Encrypted without a key of its own: the region's AWS managed key for EBS.
    kms_key_id: (c) => `arn:aws:kms:${c.region}:${c.accountId}:key/${uuid(`${c.region}/aws/ebs`)}`,
    image_location: (c) => `${c.accountId}/${String(c.attributes.name)}`,
    image_owner_alias: () => '',
    owner_id: (c) => c.accountId,
    public: () => false,
    last_launched_time: () => '',
    // The provider deletes a copy's snapshots with it.
    manage_ebs_snapshots: () => true,
  },
  aws_ami_launch_permission: {
    id: (c) => [c.attributes.image_id, c.attributes.account_id ?? c.attributes.group ?? c.attributes.organization_arn ?? c.attributes.organizational_unit_arn].join('-'),
  },
  aws_ec2_tag: {
    id: (c) => `${String(c.attributes.resource_id)},${String(c.attributes.key)}`,
  },
  aws_snapshot_create_volume_permission: {
    id: (c) => `${String(c.attributes.snapshot_id)}-${String(c.attributes.account_id)}`,
  },
  aws_launch_template: {
    id: (c) => `lt-${hex(c.seed)}`,
    arn: (c) => `arn:aws:ec2:${c.region}:${c.accountId}:launch-template/lt-${hex(c.seed)}`,
    default_version: () => 1,
    latest_version: () => 1,
    name_prefix: () => '',
    // What DescribeLaunchTemplateVersions leaves out reads back as zero values.
    'block_device_mappings.ebs.iops': () => 0,
    'block_device_mappings.ebs.throughput': () => 0,
    'block_device_mappings.ebs.volume_initialization_rate': () => 0,
    'block_device_mappings.ebs.volume_size': () => 0,
    'block_device_mappings.ebs.volume_type': () => '',
    'metadata_options.http_protocol_ipv6': () => 'disabled',
    'metadata_options.instance_metadata_tags': () => 'disabled',
  },
  aws_autoscaling_group: {
    id: (c) => c.attributes.name,
    arn: (c) => `arn:aws:autoscaling:${c.region}:${c.accountId}:autoScalingGroup:${uuid(c.seed)}:autoScalingGroupName/${String(c.attributes.name)}`,
    // One zone per subnet, as DescribeAutoScalingGroups reports the subnets' zones.
    availability_zones: (c) => ((c.attributes.vpc_zone_identifier ?? []) as string[]).map((_, i) => `${c.region}${'abcdef'[i % 6]}`),
    availability_zone_distribution: () => [{ capacity_distribution_strategy: 'balanced-best-effort' }],
    capacity_reservation_specification: () => [{ capacity_reservation_preference: 'default', capacity_reservation_target: [] }],
    default_cooldown: () => 300,
    // amifleet names a group after its launch template.
    'launch_template.name': (c) => c.attributes.name,
    load_balancers: () => [],
    mixed_instances_policy: () => [],
    name_prefix: () => '',
    predicted_capacity: () => 0,
    service_linked_role_arn: (c) => `arn:aws:iam::${c.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    traffic_source: () => [],
    warm_pool_size: () => 0,
  },
  aws_ssm_parameter: {
    id: (c) => c.attributes.name,
    arn: (c) => `arn:aws:ssm:${c.region}:${c.accountId}:parameter${String(c.attributes.name).startsWith('/') ? '' : '/'}${String(c.attributes.name)}`,
    value: (c) => c.attributes.insecure_value,
    version: () => 1,
    tier: () => 'Standard',
    key_id: () => '',
    has_value_wo: () => false,
  },
};

/** Every path at which a JSON `after_unknown` tree says `true`. */
function unknownPaths(tree: unknown, path: Path = []): Path[] {
  if (tree === true) return [path];
  if (Array.isArray(tree)) return tree.flatMap((t, i) => unknownPaths(t, [...path, i]));
  if (tree !== null && typeof tree === 'object') return Object.entries(tree).flatMap(([k, t]) => unknownPaths(t, [...path, k]));
  return [];
}

/** `after_sensitive` as state v4 writes sensitive paths. */
function sensitivePaths(tree: unknown, path: Path = []): Json[][] {
  if (tree === true) return [path.map((p) => (typeof p === 'number' ? { type: 'index', value: { value: p, type: 'number' } } : { type: 'get_attr', value: p }))];
  if (Array.isArray(tree)) return tree.flatMap((t, i) => sensitivePaths(t, [...path, i]));
  if (tree !== null && typeof tree === 'object') return Object.entries(tree).flatMap(([k, t]) => sensitivePaths(t, [...path, k]));
  return [];
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

function setAt(target: Json, path: Path, value: unknown): void {
  let v: Record<string | number, unknown> = target;
  path.slice(0, -1).forEach((step, i) => {
    if (v[step] === null || typeof v[step] !== 'object') v[step] = typeof path[i + 1] === 'number' ? [] : {};
    v = v[step] as Record<string | number, unknown>;
  });
  v[path[path.length - 1]] = value;
}

/** Whether the configuration sets the value at `path` (so Terraform, not the provider, computes it). */
function configured(expressions: unknown, path: Path): boolean {
  let e = expressions;
  for (const step of path) {
    if (e === null || typeof e !== 'object') return false;
    // An attribute's expression covers everything below it (a map, a list of strings).
    if (!Array.isArray(e) && ('constant_value' in e || 'references' in e)) return true;
    e = (e as Record<string | number, unknown>)[step];
  }
  return e !== undefined;
}

/** Resource addresses (`aws_x.y`, `data.aws_x.y`) an expression tree refers to. */
function referencedResources(tree: unknown): string[] {
  if (Array.isArray(tree)) return tree.flatMap(referencedResources);
  if (tree === null || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([k, v]) => (k === 'references' && Array.isArray(v)
    ? (v as string[]).map((r) => /^(data\.[^.[]+\.[^.[]+|aws_[^.[]+\.[^.[]+)/.exec(r)?.[1]).filter((r): r is string => r !== undefined)
    : referencedResources(v)));
}

const pathKey = (path: Path): string => JSON.stringify(path);

interface PlannedInstance {
  readonly address: string;
  readonly configAddress: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly schemaVersion: number;
  /** What the first plan knew. */
  readonly known: Json;
  readonly providerComputed: Path[];
  readonly terraformComputed: Path[];
  readonly sensitive: Json[][];
}

/** What the first plan says, once: the instances and what is unknown in each. */
class FirstPlan {
  readonly instances: PlannedInstance[] = [];
  private readonly config = new Map<string, ShownConfigResource>();
  private readonly dependencies = new Map<string, string[]>();
  readonly stackName: string;

  constructor(readonly shown: ShownPlan, private readonly stack: Json, private readonly accountId: string) {
    this.stackName = String((stack['//'] as { metadata?: { stackName?: string } } | undefined)?.metadata?.stackName ?? '');
    for (const r of shown.configuration.root_module.resources ?? []) this.config.set(r.address, r);
    const schemaVersions = new Map((shown.planned_values.root_module.resources ?? []).map((r) => [r.address, r.schema_version]));
    for (const rc of shown.resource_changes ?? []) {
      if (rc.mode !== 'managed' || (rc.change.actions.includes('delete') && !rc.change.actions.includes('create'))) continue;
      const configAddress = `${rc.type}.${rc.name}`;
      const paths = unknownPaths(rc.change.after_unknown);
      const expressions = this.config.get(configAddress)?.expressions;
      this.instances.push({
        address: rc.address, configAddress, mode: 'managed', type: rc.type, name: rc.name, index: rc.index,
        schemaVersion: schemaVersions.get(rc.address) ?? 0,
        known: structuredClone((rc.change.after ?? {}) as Json),
        providerComputed: paths.filter((p) => !configured(expressions, p)),
        terraformComputed: paths.filter((p) => configured(expressions, p)),
        sensitive: sensitivePaths(rc.change.after_sensitive),
      });
    }
    for (const r of shown.prior_state?.values?.root_module?.resources ?? []) {
      if (r.mode !== 'data') continue;
      this.instances.push({
        address: r.address, configAddress: `data.${r.type}.${r.name}`, mode: 'data', type: r.type, name: r.name, index: r.index,
        schemaVersion: r.schema_version, known: structuredClone(r.values), providerComputed: [], terraformComputed: [], sensitive: [],
      });
    }
  }

  /** The provider block of an instance, as state names it, and its region. */
  provider(configAddress: string): { address: string; region: string } {
    const key = this.config.get(configAddress)?.provider_config_key ?? 'aws';
    const provider = this.shown.configuration.provider_config[key];
    if (!provider) throw new Error(`${configAddress}: no provider configuration ${key}`);
    return {
      address: `provider["${provider.full_name}"]${provider.alias ? `.${provider.alias}` : ''}`,
      region: provider.expressions?.region?.constant_value ?? '',
    };
  }

  /** Every resource this one depends on, directly or through others, as state records them. */
  dependenciesOf(configAddress: string): string[] {
    const cached = this.dependencies.get(configAddress);
    if (cached) return cached;
    const r = this.config.get(configAddress);
    const direct = r ? [...referencedResources(r.expressions), ...referencedResources(r.for_each_expression), ...(r.depends_on ?? [])] : [];
    const all = new Set<string>();
    for (const d of direct) {
      if (d === configAddress) continue;
      all.add(d);
      for (const t of this.dependenciesOf(d)) all.add(t);
    }
    const sorted = [...all].sort();
    this.dependencies.set(configAddress, sorted);
    return sorted;
  }

  /** `lifecycle.create_before_destroy` as state records it: the resource's own, or that of one depending on it. */
  createBeforeDestroy(configAddress: string): boolean {
    const own = (address: string): boolean => {
      const [type, name] = address.split('.');
      const resource = ((this.stack.resource ?? {}) as Record<string, Record<string, { lifecycle?: { create_before_destroy?: boolean } }>>)[type]?.[name];
      return resource?.lifecycle?.create_before_destroy === true;
    };
    return own(configAddress) || [...this.config.keys()].some((a) => !a.startsWith('data.') && own(a) && this.dependenciesOf(a).includes(configAddress));
  }

  /** The attributes of an instance given the Terraform-computed values found so far. */
  attributes(instance: PlannedInstance, computed: ReadonlyMap<string, unknown>): Json {
    const attributes = structuredClone(instance.known);
    for (const path of instance.terraformComputed) setAt(attributes, path, computed.get(pathKey(path)) ?? null);
    const fakes = FAKES[instance.type] ?? {};
    const context: FakeContext = {
      seed: `${this.stackName}/${instance.address}`, address: instance.address, region: this.provider(instance.configAddress).region, accountId: this.accountId, attributes,
      source: instance.type === 'aws_ami_copy' ? this.sourceImage(instance) : undefined,
    };
    for (const path of instance.providerComputed) {
      const fake = fakes[path.filter((p) => typeof p === 'string').join('.')];
      if (!fake) throw new Error(`${instance.address}: no plausible value for ${path.join('.')}, which only apply would know; add one to FAKES in applied-state.ts`);
      setAt(attributes, path, fake(context));
    }
    return attributes;
  }

  private sourceImage(copy: PlannedInstance): Json {
    const source = this.instances.find((i) => i.type === 'aws_ami' && i.mode === 'data' && i.known.id === copy.known.source_ami_id);
    if (!source) throw new Error(`${copy.address}: no aws_ami data source reads its source image ${String(copy.known.source_ami_id)}`);
    return source.known;
  }
}

/** Terraform-computed values and outputs a plan knows, for the paths the first plan did not. */
function learn(first: FirstPlan, plan: ShownPlan, computed: Map<string, Map<string, unknown>>, outputs: Map<string, Json>): void {
  const changes = new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc]));
  for (const instance of first.instances) {
    const rc = changes.get(instance.address);
    if (!rc) continue;
    const values = computed.get(instance.address) ?? new Map<string, unknown>();
    for (const path of instance.terraformComputed) {
      if (valueAt(rc.change.after_unknown, path) === true) continue;
      const v = valueAt(rc.change.after, path);
      if (v !== undefined) values.set(pathKey(path), v);
    }
    computed.set(instance.address, values);
  }
  for (const [name, output] of Object.entries(plan.planned_values.outputs ?? {})) {
    if (first.shown.planned_values.outputs?.[name]?.value === undefined && output.value !== undefined) {
      outputs.set(name, { value: output.value, type: output.type, ...(output.sensitive ? { sensitive: true } : {}) });
    }
  }
}

function buildState(first: FirstPlan, computed: ReadonlyMap<string, ReadonlyMap<string, unknown>>, outputs: ReadonlyMap<string, Json>, lineage: string): Json {
  const resources = new Map<string, Json & { instances: Json[] }>();
  for (const instance of first.instances) {
    const key = `${instance.mode}.${instance.type}.${instance.name}`;
    let resource = resources.get(key);
    if (!resource) {
      resource = { mode: instance.mode, type: instance.type, name: instance.name, provider: first.provider(instance.configAddress).address, instances: [] };
      resources.set(key, resource);
    }
    const dependencies = instance.mode === 'managed' ? first.dependenciesOf(instance.configAddress) : [];
    resource.instances.push({
      ...(instance.index !== undefined ? { index_key: instance.index } : {}),
      schema_version: instance.schemaVersion,
      attributes: first.attributes(instance, computed.get(instance.address) ?? new Map()),
      sensitive_attributes: instance.sensitive,
      ...(dependencies.length > 0 ? { dependencies } : {}),
      ...(instance.mode === 'managed' && first.createBeforeDestroy(instance.configAddress) ? { create_before_destroy: true } : {}),
    });
  }
  const knownOutputs = Object.entries(first.shown.planned_values.outputs ?? {})
    .filter(([, o]) => o.value !== undefined).map(([name, o]) => [name, { value: o.value, type: o.type, ...(o.sensitive ? { sensitive: true } : {}) }] as const);
  return {
    version: 4,
    terraform_version: first.shown.terraform_version,
    serial: 1,
    lineage,
    outputs: Object.fromEntries([...knownOutputs, ...outputs].sort(([a], [b]) => a.localeCompare(b))),
    resources: [...resources.values()],
    check_results: null,
  };
}

/** Where two states differ, one line each (`.resources.2.instances.0.attributes.image_id: null -> "ami-…"`). */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences((a as Json)[k], (b as Json)[k], `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
}

/** The image copies of a state, as the AWS double holds images. */
function copiedImages(first: FirstPlan, state: Json, createdAt: string): ImageRecord[] {
  return (state.resources as { type: string; name: string; instances: { attributes: Json }[] }[])
    .filter((r) => r.type === 'aws_ami_copy')
    .flatMap((r) => r.instances.map(({ attributes: a }) => ({
      region: first.provider(`${r.type}.${r.name}`).region, imageId: String(a.id), name: String(a.name), ownerId: String(a.owner_id),
      architecture: String(a.architecture), creationDate: createdAt, rootDeviceName: String(a.root_device_name), encrypted: a.encrypted === true,
      snapshots: Object.fromEntries((a.ebs_block_device as { device_name: string; snapshot_id: string }[]).map((d) => [d.device_name, d.snapshot_id])),
    })));
}

/**
 * The state after applying `first` (a `planStack(stack, double.endpoint, { show: true })` of
 * `stack`, with no state), and the `-refresh=false` plan of `stack` against it that changed none
 * of the values the first plan did not know. Plans in `first.dir`; adds the state's image copies
 * to `double.world`.
 */
export async function appliedState(stack: Json, double: AwsDouble, first: PlanResult, options: { maxRounds?: number } = {}): Promise<AppliedState> {
  if (!first.plan) throw new Error('appliedState needs the first plan as terraform show -json gives it (planStack with show: true)');
  const model = new FirstPlan(first.plan as unknown as ShownPlan, stack, double.world.accountId);
  const lineage = uuid(`${model.stackName}/lineage`);
  const computed = new Map<string, Map<string, unknown>>();
  const outputs = new Map<string, Json>();
  let state = buildState(model, computed, outputs, lineage);
  let changing: string[] = [];
  // Image ids and snapshots are the provider's fakes, which no later round changes.
  double.world = { ...double.world, images: [...double.world.images, ...copiedImages(model, state, model.shown.timestamp)] };
  for (let round = 1; round <= (options.maxRounds ?? 5); round++) {
    const plan = await planStack(stack, double.endpoint, { state, dir: first.dir, args: ['-refresh=false'], show: true });
    if (plan.code !== 0 || !plan.plan) throw new Error(`planning against the applied state failed (exit ${plan.code}):\n${plan.diagnostics.join('\n')}\n${plan.stderr}`);
    learn(model, plan.plan as unknown as ShownPlan, computed, outputs);
    const next = buildState(model, computed, outputs, lineage);
    if (isDeepStrictEqual(next, state)) return { state, plan: plan as AppliedState['plan'], rounds: round };
    changing = differences(state, next);
    state = next;
  }
  throw new Error(`the applied state did not settle in ${options.maxRounds ?? 5} plans; the last one still changed:\n${changing.join('\n')}`);
}

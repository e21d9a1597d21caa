'use strict';
// Generates realistic fleet definitions for the benchmark: 17 regions each, with a mix of
// image sources, per-region overrides and state backends. Deterministic: fleet i is always the same.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const YAML = require('yaml');

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
];
// Instance types run their fleet's image (instance-type-architecture-mismatch): Graviton for arm64 images.
const INSTANCE_TYPES = {
  x86_64: ['t3.micro', 't3.small', 'm7i.large', 'c7i.large', 'r7i.xlarge'],
  arm64: ['t4g.micro', 't4g.small', 'm7g.large', 'c7g.large', 'r7g.xlarge'],
};
const TEAMS = ['platform', 'payments', 'search', 'identity', 'data'];

function hex(n, width) {
  return n.toString(16).padStart(width, '0').slice(-width);
}

/** Fleet i's image architecture: some looked-up images are arm64, every other source x86_64. */
function architecture(i) {
  return i % 3 === 1 && i % 5 === 0 ? 'arm64' : 'x86_64';
}

function source(i) {
  const region = REGIONS[i % 4];
  switch (i % 3) {
    case 0: return { region, ami: `ami-${hex(0x0123456789abc + i * 7919, 17)}` };
    case 1: return {
      region,
      lookup: {
        owners: i % 2 ? ['amazon'] : ['123456789012'],
        name: i % 2 ? `al2023-ami-2023.*-${architecture(i)}` : `golden-${i}-*`,
        architecture: architecture(i),
        ...(i % 4 === 1 ? { filters: { 'virtualization-type': ['hvm'] } } : {}),
      },
    };
    default: return { region, ssmParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' };
  }
}

function regions(i) {
  const out = {};
  REGIONS.forEach((region, r) => {
    const settings = {};
    const types = INSTANCE_TYPES[architecture(i)];
    if ((i + r) % 5 === 0) settings.instanceType = types[(i + r) % types.length];
    if ((i + r) % 4 === 0) settings.kmsKeyId = `arn:aws:kms:${region}:111122223333:key/${hex(i, 8)}-12ab-4cd5-9ef6-${hex(r, 12)}`;
    if ((i + r) % 6 === 0) settings.securityGroupIds = [`sg-${hex(0xabc0000 + i * 31 + r, 17)}`];
    if ((i + r) % 7 === 0) settings.tags = { 'region-owner': region.split('-')[0] };
    out[region] = settings;
  });
  return out;
}

function state(i, name) {
  switch (i % 3) {
    case 0: return undefined;
    case 1: return { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1', keyPrefix: `amifleet/${name}` };
    default: return { backend: 'cloud', organization: 'acme', workspacePrefix: 'amifleet-' };
  }
}

/** Fleet number `i` (0-based), as a fleet file would hold it. */
function fleet(i) {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const f = {
    fleet: name,
    description: `Service ${i} (${TEAMS[i % TEAMS.length]})`,
    tags: { team: TEAMS[i % TEAMS.length], 'cost-center': String(4000 + (i % 50)) },
    source: source(i),
    regions: regions(i),
    copy: { encrypted: true, ...(i % 2 === 0 ? { deprecateAfterDays: 365 } : {}), ...(i % 3 === 0 ? { timeoutMinutes: 90 } : {}) },
    launchTemplate: {
      instanceType: INSTANCE_TYPES[architecture(i)][i % INSTANCE_TYPES[architecture(i)].length],
      ...(i % 2 === 1 ? { keyName: 'ops' } : {}),
      ...(i % 3 === 1 ? { iamInstanceProfile: `${name}-role` } : {}),
      ...(i % 4 === 2 ? { securityGroupIds: [`sg-${hex(0x1230000 + i, 17)}`] } : {}),
      metadata: { httpTokens: 'required', hopLimit: i % 8 === 0 ? 2 : 1 },
      ...(i % 2 === 0 ? { rootVolume: { sizeGiB: 20 + (i % 5) * 10, type: 'gp3' } } : {}),
    },
  };
  const st = state(i, name);
  if (st) f.state = st;
  if (f.launchTemplate.metadata.hopLimit > 1) f.suppress = { 'hop-limit-above-one': 'containers on these hosts use the instance role' };
  // Fleets that follow the newest image say so, as a real one would until it pins one with amifleet release.
  if (f.source.ami === undefined) f.suppress = { ...f.suppress, 'unpinned-source-across-stacks': 'these fleets follow the newest image on purpose' };
  return f;
}

/**
 * Fleet `i` pinned, as it is before its first release (`rollout: false`) and mid-rollout with
 * everything issue 14 added (`rollout: true`): a previous image, three waves, the first promoted,
 * and an Auto Scaling group per region with an instance refresh. The two differ only in those
 * fields, so their synth times give what the rollout's resources cost.
 */
function pinnedFleet(i, { rollout = false, accounts = false } = {}) {
  const f = fleet(i);
  f.source = { region: f.source.region, ami: `ami-${hex(0x0abc0000000 + i * 104729, 17)}` };
  if (f.suppress) delete f.suppress['unpinned-source-across-stacks'];
  if (f.suppress && Object.keys(f.suppress).length === 0) delete f.suppress;
  if (accounts) f.accounts = targetAccounts(i);
  if (!rollout) return f;
  f.source.previous = [`ami-${hex(0x0def0000000 + i * 104729, 17)}`];
  f.rollout = { waves: [[REGIONS[0]], REGIONS.slice(1, 6), ['*']], promoted: 1 };
  REGIONS.forEach((region, r) => { f.regions[region].subnetIds = [`subnet-${hex(0x5ab0000 + i * 17 + r, 17)}`]; });
  f.autoScaling = {
    minSize: 2, maxSize: 6, desiredCapacity: 2,
    instanceRefresh: { minHealthyPercentage: 90, instanceWarmupSeconds: 300, checkpoints: [25, 50], checkpointDelaySeconds: 600 },
  };
  return f;
}

/** Account regions of the accounts cost: 3 per account, each account with its own KMS key in its first. */
const ACCOUNT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/**
 * Two workload accounts (issue 15) that get fleet `i` in three regions each: six account stacks
 * and, since the source is pinned (taken to be the credentials' own), a share stack.
 */
function targetAccounts(i) {
  return Object.fromEntries(['prod', 'staging'].map((name, a) => {
    const id = String(444455550000 + i * 2 + a).padStart(12, '0');
    const regions = Object.fromEntries(ACCOUNT_REGIONS.map((region, r) => [region, r === 0
      ? { kmsKeyId: `arn:aws:kms:${region}:${id}:key/${hex(0x1234abcd + i, 8)}-12ab-4cd5-9ef6-${hex(0x1234567890ab + a, 12)}` } : {}]));
    return [name, { id, roleArn: `arn:aws:iam::${id}:role/amifleet-deploy`, regions }];
  }));
}

/** Writes `count` pinned fleets (see pinnedFleet) into `dir`. */
function writePinnedFleets(count, dir, options) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const f = pinnedFleet(i, options);
    writeFileSync(join(dir, `${f.fleet}.yaml`), YAML.stringify(f));
  }
  return { dir };
}

/** Writes `count` fleet files (YAML) into `dir`, and the same fleets as one JSON array for the stock app. */
function writeFleets(count, dir) {
  mkdirSync(dir, { recursive: true });
  const fleets = [];
  for (let i = 0; i < count; i++) {
    const f = fleet(i);
    fleets.push(f);
    writeFileSync(join(dir, `${f.fleet}.yaml`), YAML.stringify(f));
  }
  const json = `${dir}.json`;
  writeFileSync(json, JSON.stringify(fleets, null, 2));
  return { dir, json, fleets };
}

module.exports = { REGIONS, fleet, writeFleets, pinnedFleet, writePinnedFleets };

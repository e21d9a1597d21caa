import { Testing } from 'cdktf';
import { addFleetStacks, type FleetStacksOptions } from '../../modules/constructs/fleet-app';
import type { FleetInput } from '../../modules/fleet/fleet-spec';

export const KMS_EU = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-4cd5-9ef6-1234567890ab';

/** A small valid fleet; tests override what they are about. */
export function baseFleet(overrides: Partial<FleetInput> = {}): FleetInput {
  return {
    fleet: 'web',
    source: { region: 'us-east-1', ami: 'ami-0123456789abcdef0' },
    regions: { 'us-east-1': {}, 'eu-west-1': { kmsKeyId: KMS_EU } },
    launchTemplate: { instanceType: 't3.micro' },
    ...overrides,
  };
}

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
  [key: string]: unknown;
};

/** Synthesizes a fleet and returns each stack's Terraform JSON by stack name. */
export function synthFleet(input: FleetInput, options: FleetStacksOptions = {}): Record<string, TfJson> {
  const app = Testing.app({ stackTraces: false });
  const stacks = addFleetStacks(app, input, options);
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as TfJson]));
}

/** The resources of one type in a stack, by address name. */
export function resources(stack: TfJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

export function only<T>(values: Record<string, T>): T {
  const all = Object.values(values);
  if (all.length !== 1) throw new Error(`expected exactly one, got ${all.length}`);
  return all[0];
}

/** A `${type.name.attr}` reference's resource name. */
export function referencedName(ref: unknown, type: string): string | undefined {
  const m = typeof ref === 'string' ? new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(ref) : null;
  return m?.[1];
}

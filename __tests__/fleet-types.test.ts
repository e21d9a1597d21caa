import { z } from 'zod';
import { FleetSchema, type Fleet, type FleetInput } from '../modules';

// Compile-time: tsc --noEmit (npm test) fails here when a field is added to, removed from or
// typed differently in modules/fleet/fleet-types.ts and FleetSchema, at any depth, optional ones too.
type Plain<T> = T extends readonly (infer Item)[] ? Plain<Item>[]
  : T extends object ? { -readonly [K in keyof T]: Plain<T[K]> } : T;
type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends (<T>() => T extends Plain<B> ? 1 : 2) ? true : false;
const inputIsTheSchemas: Same<FleetInput, z.input<typeof FleetSchema>> = true;
const outputIsTheSchemas: Same<Fleet, z.output<typeof FleetSchema>> = true;

describe('the fleet interfaces', () => {
  it('are exactly what FleetSchema takes and gives (checked by tsc)', () => {
    expect([inputIsTheSchemas, outputIsTheSchemas]).toEqual([true, true]);
  });

  it('document the defaults FleetSchema applies to a minimal fleet', () => {
    const input: FleetInput = {
      fleet: 'web',
      source: { region: 'us-east-1', lookup: { owners: ['amazon'] } },
      regions: { 'eu-west-1': null },
      launchTemplate: { instanceType: 't3.micro', userData: { template: 'web.sh.hbs' } },
      autoScaling: { minSize: 1, maxSize: 2 },
      state: { backend: 's3', bucket: 'acme-state', region: 'us-east-1' },
    };
    const fleet: Fleet = FleetSchema.parse(input);
    expect(fleet).toMatchObject({
      tags: {}, accounts: {}, layout: 'per-region', suppress: {},
      source: { previous: [], lookup: { includeDeprecated: false } },
      regions: { 'eu-west-1': {} },
      copy: { encrypted: true },
      launchTemplate: { securityGroupIds: [], metadata: { httpTokens: 'required', hopLimit: 1 }, userData: { vars: {} } },
      autoScaling: {
        healthCheckType: 'EC2', healthCheckGracePeriodSeconds: 300,
        instanceRefresh: { minHealthyPercentage: 90, skipMatching: true, autoRollback: true },
      },
      state: { lockfile: true },
    });
    expect(FleetSchema.parse({ ...input, state: undefined }).state).toEqual({ backend: 'local' });
    expect(FleetSchema.parse({ ...input, state: { backend: 'cloud', organization: 'acme' } }).state)
      .toEqual({ backend: 'cloud', organization: 'acme', workspacePrefix: '' });
    expect(FleetSchema.parse({ ...input, copy: { shareWith: {} } }).copy.shareWith)
      .toEqual({ accounts: [], organizationArns: [], organizationalUnitArns: [] });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetSchemaText } from '../scripts/fleet-schema';
import { fleetJsonSchema } from '../modules/fleet/fleet-json-schema';
import { ROOT } from './support/cli';

type Node = { properties?: Record<string, Node>; propertyNames?: Node; enum?: unknown[]; examples?: unknown[]; [k: string]: unknown };

describe('fleet.schema.json', () => {
  it('is what the zod schema generates (run `npm run schema` after changing modules/fleet/fleet-spec.ts)', () => {
    expect(readFileSync(join(ROOT, 'fleet.schema.json'), 'utf8')).toBe(fleetSchemaText());
  });

  it('is what the bundled example points editors at', () => {
    expect(readFileSync(join(ROOT, 'fleets', 'web.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/fleet\.schema\.json\n/);
  });

  it('lists the regions editors may use and offers the instance types', () => {
    const props = (fleetJsonSchema() as Node).properties!;
    expect(props.regions.propertyNames!.enum).toEqual(expect.arrayContaining(['eu-west-1', 'cn-north-1', 'us-gov-west-1']));
    expect(props.source.properties!.region.enum).toContain('us-east-1');
    expect(props.launchTemplate.properties!.instanceType.examples).toContain('t3.micro');
    expect(props.launchTemplate.properties!.instanceType.enum).toBeUndefined();
  });
});

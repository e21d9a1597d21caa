import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsCatalogText, buildAwsCatalog } from '../scripts/aws-catalog';
import { awsRegion, isInstanceType } from '../modules/fleet/aws-catalog';
import { ROOT } from './support/cli';

describe('the AWS catalogue (modules/fleet/aws-catalog.json)', () => {
  it('is exactly what the installed AWS SDK gives (run `npm run aws-catalog` after an SDK upgrade)', () => {
    const checkedIn = readFileSync(join(ROOT, 'modules', 'fleet', 'aws-catalog.json'), 'utf8');
    expect(checkedIn).toBe(awsCatalogText(buildAwsCatalog()));
  });

  it('knows regions of every partition, each with its partition, and no pseudo-regions', () => {
    expect(awsRegion('eu-west-1')).toEqual({ name: 'eu-west-1', partition: 'aws', description: 'Europe (Ireland)' });
    expect(awsRegion('cn-north-1')?.partition).toBe('aws-cn');
    expect(awsRegion('us-gov-west-1')?.partition).toBe('aws-us-gov');
    expect(awsRegion('aws-global')).toBeUndefined();
    expect(awsRegion('eu-wst-1')).toBeUndefined();
  });

  it('knows EC2 instance types', () => {
    expect(['t3.micro', 'm7i.large', 'c7g.metal'].map(isInstanceType)).toEqual([true, true, true]);
    expect(['t3.micor', 'T3.MICRO', ''].map(isInstanceType)).toEqual([false, false, false]);
  });
});

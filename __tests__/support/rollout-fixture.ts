import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli';

// The rollout fixture (__tests__/fixtures/valid/rollout.yaml) and what its Auto Scaling groups are
// planned with, for the plan suites that check them.

export const ROLLOUT = readFileSync(join(ROOT, '__tests__', 'fixtures', 'valid', 'rollout.yaml'), 'utf8');

/** What the fixture asks of every group, as the provider plans it (`terraform show -json`). */
export const GROUP_SETTINGS = {
  name: 'shop', min_size: 2, max_size: 6, desired_capacity: 2, health_check_type: 'ELB', health_check_grace_period: 300,
  instance_refresh: [{
    strategy: 'Rolling', triggers: null,
    preferences: [expect.objectContaining({
      min_healthy_percentage: 90, instance_warmup: '300', checkpoint_percentages: [25, 50, 100], checkpoint_delay: '600',
      skip_matching: true, auto_rollback: true, alarm_specification: [{ alarms: ['shop-5xx'] }],
    })],
  }],
};

/** The fixture's subnets, by region. */
export const SUBNETS: Readonly<Record<string, string[]>> = {
  'us-east-1': ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'], 'eu-west-1': ['subnet-1a1b2c3d4e5f60718'],
  'eu-central-1': ['subnet-2a1b2c3d4e5f60718'], 'ap-southeast-2': ['subnet-3a1b2c3d4e5f60718'],
};

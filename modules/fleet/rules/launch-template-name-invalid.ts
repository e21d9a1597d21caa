import { launchTemplateName } from '../fleet-names';
import type { FleetRule } from './fleet-rule';

const ALLOWED = /^[A-Za-z0-9().\-/_]{3,128}$/;

export const launchTemplateNameInvalid: FleetRule = {
  id: 'launch-template-name-invalid',
  severity: 'error',
  doc: 'The launch templates\' name (the fleet name) is a valid launch template name: 3 to 128 letters, digits and ().-/_ .',
  dataSource: 'EC2 CreateLaunchTemplate API reference (LaunchTemplateName constraints)',
  check(fleet) {
    const name = launchTemplateName(fleet.fleet);
    if (ALLOWED.test(name)) return [];
    return [{
      path: ['fleet'],
      message: `names the launch templates "${name}", but a launch template name needs 3 to 128 letters, digits or ().-/_`,
      suggestion: name.length < 3 ? 'use a fleet name of at least 3 characters' : undefined,
    }];
  },
};

import { fleetTags } from '../fleet-tags';
import type { FleetRule } from './fleet-rule';
import { fleetTagSets } from './fleet-tag-sets';

export const reservedTagOverridden: FleetRule = {
  id: 'reserved-tag-overridden',
  severity: 'warning',
  doc: 'A fleet does not set the tags amifleet sets itself (Fleet, ManagedBy): amifleet\'s value wins.',
  dataSource: 'amifleet (modules/fleet-tags.ts)',
  check(fleet) {
    const own = fleetTags({ ...fleet, tags: {}, regions: {} }, '');
    return fleetTagSets(fleet).flatMap(({ path, tags }) => Object.keys(tags).filter((k) => k in own).map((key) => ({
      path: [...path, key], atKey: true,
      message: `amifleet sets the ${key} tag itself (${key}=${own[key]}); this value is ignored`,
      suggestion: 'remove it, or use another key',
    })));
  },
};

import { amifleetTags } from '../fleet-tags';
import type { FleetRule } from './fleet-rule';
import { eachTagSet } from './fleet-tag-sets';

const OWN_KEYS = Object.keys(amifleetTags(''));

export const reservedTagOverridden: FleetRule = {
  id: 'reserved-tag-overridden',
  severity: 'warning',
  doc: 'A fleet does not set the tags amifleet sets itself (Fleet, ManagedBy): amifleet\'s value wins.',
  dataSource: 'amifleet (modules/fleet/fleet-tags.ts)',
  check(fleet) {
    return eachTagSet(fleet, ({ path, tags }) => Object.keys(tags).filter((k) => OWN_KEYS.includes(k)).map((key) => ({
      path: [...path, key], atKey: true,
      message: `amifleet sets the ${key} tag itself (${key}=${amifleetTags(fleet.fleet)[key]}); this value is ignored`,
      suggestion: 'remove it, or use another key',
    })));
  },
};

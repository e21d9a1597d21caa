import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fleetJsonSchema } from '../modules/fleet/fleet-json-schema';

/** Where the schema is published; npm runs scripts from the package root. */
export const FLEET_SCHEMA_FILE = resolve('fleet.schema.json');

/** fleet.schema.json as it is checked in. */
export function fleetSchemaText(): string {
  return `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(FLEET_SCHEMA_FILE, fleetSchemaText());
  process.stdout.write(`wrote ${FLEET_SCHEMA_FILE}\n`);
}

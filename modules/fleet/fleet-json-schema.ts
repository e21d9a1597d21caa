import { z } from 'zod';
import { awsCatalog } from './aws-catalog';
import { awsNameFields, FleetSchema } from './fleet-spec';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [key: string]: unknown;
};

let cached: JsonSchema | undefined;

/**
 * The fleet file's JSON Schema (what fleet.schema.json holds), generated from FleetSchema, with
 * the AWS catalogue's names so that editors check regions and complete instance types.
 */
export function fleetJsonSchema(): JsonSchema {
  cached ??= {
    $id: 'https://github.com/amifleet/amifleet/fleet.schema.json',
    ...(z.toJSONSchema(FleetSchema, {
      io: 'input', unrepresentable: 'any', target: 'draft-2020-12',
      override: ({ zodSchema, jsonSchema }) => {
        const kind = awsNameFields.get(zodSchema)?.awsName;
        // An enum of 1,400 instance types would make an editor's error message useless: offer them instead.
        if (kind === 'region') jsonSchema.enum = [...awsCatalog().regions.keys()].sort();
        if (kind === 'instanceType') jsonSchema.examples = [...awsCatalog().instanceTypes];
      },
    }) as JsonSchema),
  };
  return cached;
}

/** The keys a fleet file may use in the map at `path` (for `did you mean` on unknown keys). */
export function keysAllowedAt(path: readonly (string | number)[]): string[] {
  let nodes: JsonSchema[] = [fleetJsonSchema()];
  for (const step of path) {
    nodes = nodes.flatMap(alternatives).flatMap((n) => {
      if (typeof step === 'number') return n.items ? [n.items] : [];
      if (n.properties?.[step]) return [n.properties[step]];
      return typeof n.additionalProperties === 'object' ? [n.additionalProperties] : [];
    });
  }
  return [...new Set(nodes.flatMap(alternatives).flatMap((n) => Object.keys(n.properties ?? {})))];
}

function alternatives(n: JsonSchema): JsonSchema[] {
  const alts = [...(n.anyOf ?? []), ...(n.oneOf ?? [])];
  return alts.length > 0 ? [n, ...alts.flatMap(alternatives)] : [n];
}

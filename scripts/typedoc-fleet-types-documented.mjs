// A typedoc plugin: the fleet's types (modules/fleet/fleet-types.ts) are the contract users read in
// their editors, so `npm run api-docs` fails when one of them, or one of their fields, lacks
// TSDoc, or an optional field does not say its @default.
import { readFileSync } from 'node:fs';
import { Application, ReflectionKind } from 'typedoc';

const FLEET_TYPES = 'modules/fleet/fleet-types.ts';
const CHECKED = ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Property;

/** `line:col` of the declaration at `pos` (where its leading whitespace starts). */
function position(fileName, pos) {
  const text = readFileSync(fileName, 'utf8');
  const start = pos + (/^\s*/.exec(text.slice(pos))?.[0].length ?? 0);
  const lines = text.slice(0, start).split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.getReflectionsByKind(CHECKED)) {
      const symbol = project.getSymbolIdFromReflection(reflection);
      if (symbol?.packagePath !== FLEET_TYPES) continue;
      if (reflection.kindOf(ReflectionKind.Property) && reflection.inheritedFrom) continue; // checked where it is declared
      const at = `${FLEET_TYPES}:${symbol.fileName ? position(symbol.fileName, symbol.pos) : '1:1'}: ${reflection.getFriendlyFullName()}`;
      if (!reflection.hasComment()) {
        app.logger.error(`${at}: has no TSDoc (say what it means)`);
      } else if (reflection.kindOf(ReflectionKind.Property) && reflection.flags.isOptional && !reflection.comment?.getTag('@default')) {
        app.logger.error(`${at}: optional, but says no @default (write @default \`value\`, or @default - what happens without it)`);
      }
    }
  });
}

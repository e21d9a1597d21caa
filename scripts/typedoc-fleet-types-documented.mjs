// A typedoc plugin: the fleet's types (modules/fleet-types.ts) are the contract users read in
// their editors, so `npm run api-docs` fails when one of them, or one of their fields, lacks
// TSDoc, or an optional field does not say its @default.
import { Application, ReflectionKind } from 'typedoc';

const FLEET_TYPES = 'modules/fleet-types.ts';
const CHECKED = ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Property;

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.getReflectionsByKind(CHECKED)) {
      if (project.getSymbolIdFromReflection(reflection)?.packagePath !== FLEET_TYPES) continue;
      if (reflection.kindOf(ReflectionKind.Property) && reflection.inheritedFrom) continue; // checked where it is declared
      const name = reflection.getFriendlyFullName();
      if (!reflection.hasComment()) {
        app.logger.error(`${FLEET_TYPES}: ${name} has no TSDoc (say what it means)`);
      } else if (reflection.kindOf(ReflectionKind.Property) && reflection.flags.isOptional && !reflection.comment?.getTag('@default')) {
        app.logger.error(`${FLEET_TYPES}: ${name} is optional but says no @default (write @default <value>, or @default - <what happens>)`);
      }
    }
  });
}

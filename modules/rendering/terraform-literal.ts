import type { Fleet } from '../fleet/fleet-spec';

/**
 * Text as Terraform must be given it to read it literally where it reads templates: every string
 * and object key in an expression of Terraform JSON, and every quoted string inside an HCL
 * expression. `${` and `%{` become `$${` and `%%{`; nothing else in a template is special.
 *
 * @example
 * terraformLiteral('${file("/etc/passwd")}'); // '$${file("/etc/passwd")}', which Terraform reads as the text itself
 */
export function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

/** Literal fleets by the frozen fleet they were made from: each stack of a fleet asks again. */
const LITERAL_OF = new WeakMap<Fleet, Fleet>();
/** Fleets this module made, so one given back is not escaped twice. */
const LITERAL_FLEETS = new WeakSet<Fleet>();

/**
 * The fleet with every string and every map key as Terraform literal text (`terraformLiteral`):
 * the form in which fleet data reaches Terraform, whatever the field. Not for user data (its
 * encoding escapes the rendered text), variable defaults or backend settings, which Terraform reads
 * as written. The result is frozen; a frozen fleet is converted once.
 */
export function terraformLiteralFleet(fleet: Fleet): Fleet {
  if (LITERAL_FLEETS.has(fleet)) return fleet;
  const known = LITERAL_OF.get(fleet);
  if (known) return known;
  const literal = literalValue(fleet) as Fleet;
  LITERAL_FLEETS.add(literal);
  // An unfrozen fleet may still change, so it is converted again each time.
  if (Object.isFrozen(fleet)) LITERAL_OF.set(fleet, literal);
  return literal;
}

function literalValue(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteral(value);
  if (Array.isArray(value)) return Object.freeze(value.map(literalValue));
  if (value !== null && typeof value === 'object') {
    return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [terraformLiteral(k), literalValue(v)])));
  }
  return value;
}

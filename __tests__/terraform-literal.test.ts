import fc from 'fast-check';
import { terraformLiteral, terraformLiteralFleet } from '../modules/rendering/terraform-literal';
import { validFleet } from '../modules/constructs/fleet-stack';
import { baseFleet } from './support/fleets';
import { terraformValues } from './support/terraform-values';

// Text heavy in what Terraform templates treat specially: ${ %{ $${ %%{ ~ } \ " and line breaks.
const tricky = fc.string({
  unit: fc.constantFrom('$', '%', '{', '}', '~', '\\', '"', '\n', 'a', ' ', 'é', '💥'),
  maxLength: 16,
});
const SAMPLES = [
  '${file("/etc/passwd")}', '%{ if true }x%{ endif }', '$${already escaped}', '%%{ also }', '$', '%', '${', '%{',
  ...fc.sample(tricky, { numRuns: 200, seed: 12 }),
];

describe('terraformLiteral', () => {
  let evaluated: Record<string, unknown>;
  beforeAll(() => {
    // Each sample as a map key and as its value, as tags are written: Terraform reads both as templates.
    evaluated = terraformValues(Object.fromEntries(SAMPLES.map((s, i) => [`s${i}`, { [terraformLiteral(s)]: terraformLiteral(s) }])));
  });

  it('is text Terraform evaluates back to the text itself, as a map key and as a value', () => {
    SAMPLES.forEach((s, i) => expect({ i, value: evaluated[`s${i}`] }).toEqual({ i, value: { [s]: s } }));
  });

  it('changes nothing in text without ${ or %{', () => {
    fc.assert(fc.property(fc.string().filter((s) => !/[$%]\{/.test(s)), (s) => terraformLiteral(s) === s));
  });
});

describe('terraformLiteralFleet', () => {
  const fleet = validFleet(baseFleet({
    description: 'the ${web} tier',
    tags: { 'team%{x}': 'platform ${y}' },
  }));

  it('escapes every string and map key of the fleet', () => {
    const literal = terraformLiteralFleet(fleet);
    expect(literal.description).toBe('the $${web} tier');
    expect(literal.tags).toEqual({ 'team%%{x}': 'platform $${y}' });
    expect(literal.launchTemplate.instanceType).toBe('t3.micro');
  });

  it('never escapes a fleet twice: its literal form given again comes back as it is', () => {
    const literal = terraformLiteralFleet(fleet);
    expect(terraformLiteralFleet(literal).description).toBe('the $${web} tier');
  });
});

import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token, Tokenization } from 'cdktf';
import { addFleetStacks, type FleetAppStack } from '../modules/constructs/fleet-app';
import { FleetStack } from '../modules/constructs/fleet-stack';
import type { Fleet, FleetInput } from '../modules/fleet/fleet-spec';
import { resolveTokens } from '../modules/rendering/stack-json';
import { loadFleets } from '../loader/load-fleets';
import { benchFleets, ROOT } from './support/cli';
import { validFleet } from './support/mutated-fleets';

// amifleet resolves a stack's configuration itself, handing only token-bearing values to cdktf
// (modules/rendering/stack-json.ts). These tests hold it to cdktf's own `TerraformStack.toTerraform()`,
// byte for byte, on every kind of fleet amifleet synthesizes.

function expectSameAsCdktf(stacks: TerraformStack[]): void {
  expect(stacks.length).toBeGreaterThan(0);
  for (const stack of stacks) {
    const cdktf = TerraformStack.prototype.toTerraform.call(stack);
    const amifleet = stack.toTerraform();
    // Same members in the same order (the text), and no undefined member on either side (strict).
    expect(JSON.stringify(amifleet, null, 2)).toBe(JSON.stringify(cdktf, null, 2));
    expect(amifleet).toStrictEqual(cdktf);
  }
}

function fleetStacks(fleet: FleetInput | Fleet, userDataTemplate?: Parameters<typeof addFleetStacks>[2]): FleetAppStack[] {
  return addFleetStacks(Testing.app({ stackTraces: false }), fleet, userDataTemplate);
}

describe('stack JSON: the same as cdktf\'s toTerraform()', () => {
  it('for the bundled example fleet, with its rendered user data', () => {
    const loaded = loadFleets([join(ROOT, 'fleets')]);
    expect(loaded.failed).toBe(false);
    for (const f of loaded.fleets) expectSameAsCdktf(fleetStacks(f.fleet, { userDataTemplate: f.userDataTemplate }));
  });

  it('for the day-two fixture (sharing, deprecation, SSM parameter, snapshot tags), in both layouts', () => {
    const loaded = loadFleets([join(__dirname, 'fixtures', 'day-two.yaml')]);
    const fleet = loaded.fleets[0].fleet;
    expectSameAsCdktf(fleetStacks(fleet));
    expectSameAsCdktf(fleetStacks({ ...fleet, layout: 'single' }));
  });

  it('for the benchmark\'s first 8 generated fleets: every source kind, backend and regional override', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amifleet-stack-json-'));
    try {
      benchFleets(8, dir);
      const loaded = loadFleets([dir]);
      expect(loaded.failed).toBe(false);
      expect(loaded.fleets).toHaveLength(8);
      for (const f of loaded.fleets) expectSameAsCdktf(fleetStacks(f.fleet, { userDataTemplate: f.userDataTemplate }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('for a fleet made a module (Terraform variables in names, tags and instance types)', () => {
    const loaded = loadFleets([join(__dirname, 'fixtures', 'day-two.yaml')]);
    const app = Testing.app({ stackTraces: false });
    expectSameAsCdktf([new FleetStack(app, 'module', { fleet: loaded.fleets[0].fleet, asModule: true })]);
  });

  it('for a stack with overrides, tokens in them included', () => {
    const loaded = loadFleets([join(__dirname, 'fixtures', 'day-two.yaml')]);
    const [stack] = fleetStacks(loaded.fleets[0].fleet);
    stack.addOverride('terraform.required_version', '>= 1.10');
    stack.addOverride('output.image_ids.description', Fn.upper(stack.source.imageId));
    expectSameAsCdktf([stack]);
    expect(JSON.stringify(stack.toTerraform())).toContain('upper(');
  });

  it('for generated valid fleets (property)', () => {
    fc.assert(fc.property(validFleet, (fleet) => expectSameAsCdktf(fleetStacks(fleet))), { numRuns: 20 });
  });
});

describe('resolveTokens: what cdktf\'s resolve gives, for every kind of value', () => {
  const RESOLVER = new DefaultTokenResolver(new StringConcat());

  function cdktfResolve(stack: TerraformStack, value: unknown): unknown {
    return Tokenization.resolve(value, { scope: stack, resolver: RESOLVER, preparing: false });
  }

  /** Either both give the same value, or both throw the same error. */
  function outcome(resolve: () => unknown): { value?: string; error?: string } {
    try {
      return { value: JSON.stringify(resolve()) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  const stack = new TerraformStack(Testing.app({ stackTraces: false }), 'tokens');
  const variable = new TerraformVariable(stack, 'names', { type: 'list(string)' });
  const count = new TerraformVariable(stack, 'count', { type: 'number' });
  const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
  new TerraformOutput(stack, 'out', { value: variable.listValue });

  class NotPlain {
    public readonly field = 'x';
  }

  const cases: Record<string, unknown> = {
    'a plain string': 'eu-west-1',
    'a string with a token': `prefix-${variable.stringValue}-suffix`,
    'a string with a function call': Fn.join(',', variable.listValue),
    'a string with an encoded number': `size ${count.numberValue}`,
    'a string that only looks like a number': '1e5 and -1.5e+10',
    'a literal ${...} beside a token': `\${literal} ${variable.stringValue}`,
    'a plain number': 42,
    'a token number': count.numberValue,
    'the number map token': Token.NUMBER_MAP_TOKEN_VALUE,
    'the string map token': Token.STRING_MAP_TOKEN_VALUE,
    'a list token': variable.listValue,
    'a list token inside an array': [...variable.listValue],
    'a number list token': Token.asNumberList(variable.listValue),
    'a map token': tags.value,
    'a string map token as a value': { tags: Token.asStringMap(tags.value) },
    'a map with a token key': { [variable.stringValue]: 'value' },
    'a lazy string': Lazy.stringValue({ produce: () => 'produced' }),
    'a lazy any value producing tokens': Lazy.anyValue({ produce: () => ({ a: variable.stringValue, b: [1, undefined, 'x'] }) }),
    'undefined members and items': { a: undefined, b: [undefined, 'x', { c: undefined }], d: {} },
    'nested plain data': { a: { b: { c: [1, true, null, 'x', { d: 'e' }] } } },
    'a class instance': { value: new NotPlain() },
    'a function': { value: () => 'x' },
    'a construct': { value: stack },
    'booleans and null': [true, false, null],
  };

  it.each(Object.keys(cases))('%s', (name) => {
    const value = cases[name];
    expect(outcome(() => resolveTokens(stack, value))).toEqual(outcome(() => cdktfResolve(stack, value)));
  });

  it('resolves the token inside a value nested deeper than cdktf allows, as cdktf reports it', () => {
    let deep: Record<string, unknown> = { leaf: variable.stringValue };
    for (let i = 0; i < 250; i++) deep = { next: deep };
    expect(outcome(() => resolveTokens(stack, deep)).error).toBeDefined();
    expect(outcome(() => resolveTokens(stack, deep))).toEqual(outcome(() => cdktfResolve(stack, deep)));
  });
});

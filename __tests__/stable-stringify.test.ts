import fc from 'fast-check';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import original = require('cdktf/node_modules/json-stable-stringify');
import stableStringify = require('../cli/synthesis/stable-stringify');
import { addFleetStacks } from '../modules/constructs/fleet-app';
import { loadFleets } from '../loader/load-fleets';
import { ROOT } from './support/cli';

// The CLI bundle writes cdk.tf.json and manifest.json with cli/synthesis/stable-stringify.ts in place of
// json-stable-stringify (scripts/bundle-cli.js). It must write the same bytes.

describe('stableStringify: json-stable-stringify\'s text', () => {
  it('for every stack of the example and the day-two fixture, with cdktf\'s options', () => {
    const loaded = loadFleets([join(ROOT, 'fleets'), join(__dirname, 'fixtures', 'day-two.yaml')]);
    const stacks = loaded.fleets.flatMap((f) => addFleetStacks(Testing.app({ stackTraces: false }), f.fleet, { userDataTemplate: f.userDataTemplate }));
    expect(stacks.length).toBeGreaterThan(3);
    for (const stack of stacks) {
      const json = stack.toTerraform();
      expect(stableStringify(json, { space: 2 })).toBe(original(json, { space: 2 }));
    }
  });

  it('for generated values: nesting, empty containers, undefined members and items, toJSON, odd keys (property)', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
        fc.date({ noInvalidDate: true })),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 })),
    })).node;
    const space = fc.oneof(fc.constant(undefined), fc.constant(2), fc.constant(0), fc.constant('\t'), fc.integer({ min: 1, max: 4 }));
    fc.assert(fc.property(value, space, (v, s) => {
      const options = s === undefined ? undefined : { space: s };
      expect(stableStringify(v, options)).toBe(original(v, options));
    }), { numRuns: 500 });
  });

  it('refuses a cycle as the package does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    expect(() => stableStringify(cyclic, { space: 2 })).toThrow(new TypeError('Converting circular structure to JSON'));
    // The same object twice, side by side, is no cycle.
    const shared = { x: 1 };
    expect(stableStringify({ a: shared, b: [shared, shared] })).toBe(original({ a: shared, b: [shared, shared] }));
  });

  it('hands any other option to the package', () => {
    const value = { b: 1, a: { d: 2, c: 3 } };
    const cmp = (a: { key: string }, b: { key: string }) => (a.key < b.key ? 1 : -1);
    expect(stableStringify(value, { cmp })).toBe(original(value, { cmp }));
    expect(stableStringify(value, { space: 1, collapseEmpty: true })).toBe(original(value, { space: 1, collapseEmpty: true }));
  });
});

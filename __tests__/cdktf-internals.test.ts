import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Lazy, TerraformLocal, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { deepMerge } from 'cdktf/lib/util';
import { logicalIdAt } from '../modules/rendering/stack-json';
import { withoutTokenStackTraces } from '../cli/synthesis/token-stack-traces';
import { addFleets } from '../cli/synthesis/synthesize';
import { loadFleets } from '../loader/load-fleets';
import { amifleet, ROOT, workdir } from './support/cli';

// What amifleet reads from cdktf's internals for speed, each checked by what it gives: a cdktf
// (or, renamed by scripts/cdktn-build.js, a cdktn) upgrade that moves one fails here by name.
// stack-json.test.ts holds the whole of `stackToTerraform` to the framework's `toTerraform()`.

const frameworkVersion = (require('cdktf/package.json') as { version: string }).version;

describe('the framework internals amifleet reads', () => {
  it('a stack\'s private cdktfVersion is the framework\'s version, as stack metadata records it', () => {
    // Testing.app stubs the version; a plain App is what synth uses.
    const stack = new TerraformStack(new App({ outdir: workdir(), stackTraces: false }), 'versioned');
    expect((stack as unknown as { cdktfVersion: unknown }).cdktfVersion).toBe(frameworkVersion);
    expect((stack.toTerraform() as { '//': { metadata: { version: string } } })['//'].metadata.version).toBe(frameworkVersion);
  });

  it('a stack\'s private rawOverrides holds what addOverride was given, as a nested object', () => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), 'overridden');
    stack.addOverride('terraform.required_version', '>= 1.10');
    expect((stack as unknown as { rawOverrides: unknown }).rawOverrides).toEqual({ terraform: { required_version: '>= 1.10' } });
  });

  it('lib/util deepMerge merges fragments into the target, member by member', () => {
    const target = { resource: { aws_ami_copy: { a: { name: 'a' } } } };
    deepMerge(target, { resource: { aws_ami_copy: { b: { name: 'b' } }, aws_launch_template: { t: {} } } });
    expect(target).toEqual({ resource: { aws_ami_copy: { a: { name: 'a' }, b: { name: 'b' } }, aws_launch_template: { t: {} } } });
  });

  it.each([
    ['a short path', ['regional'], ['copy', 'image']],
    ['a path past the length the framework shortens with a hash', ['a-region-construct-with-a-long-name'.repeat(3), 'x'.repeat(200)], ['copy', 'image']],
  ])('lib/private/unique makeUniqueId gives the logical id the framework allocates (%s)', (_, scopes, path) => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), 'ids');
    const scope = scopes.reduce<Construct>((parent, id) => new Construct(parent, id), stack);
    const expected = logicalIdAt(scope, path);
    const element = new TerraformLocal(new Construct(scope, path[0]), path[1], 'x');
    expect(element.friendlyUniqueId).toBe(expected);
  });

  it('tokens capture their creation stack into a plain { stack: "" } object, which withoutTokenStackTraces skips', () => {
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack.length).toBeGreaterThan(0);
    expect(withoutTokenStackTraces(() => Lazy.anyValue({ produce: () => 1 })).creationStack).toEqual([]);
  });
});

describe('the CLI bundle (scripts/bundle-cli.js) writes what the framework writes', () => {
  it('every cdk.tf.json of the bundled fleets, byte for byte, as the framework\'s own app.synth() writes it', () => {
    const dir = workdir();
    expect(amifleet(['synth', join(ROOT, 'fleets'), '--out', join(dir, 'cli')]).code).toBe(0);
    const loaded = loadFleets([join(ROOT, 'fleets')]);
    const app = new App({ outdir: join(dir, 'framework'), stackTraces: false, skipValidation: true });
    addFleets(app, loaded.fleets);
    app.synth();
    const stacks = readdirSync(join(dir, 'framework', 'stacks')).sort();
    expect(readdirSync(join(dir, 'cli', 'stacks')).sort()).toEqual(stacks);
    expect(stacks.length).toBeGreaterThan(1);
    for (const stack of stacks) {
      const text = (root: string) => readFileSync(join(dir, root, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      expect([stack, text('cli')]).toEqual([stack, text('framework')]);
    }
  });
});

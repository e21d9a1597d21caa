// json-stable-stringify 1.3 (what cdktf writes cdk.tf.json and manifest.json with), for the
// CLI bundle: the same text, byte for byte, without its per-call indirections (call-bound
// array methods, an indexOf over the ancestors for cycles, indentation rebuilt per value),
// which made it 8% of a 100-fleet synth. scripts/bundle-cli.js puts it in place of the
// package inside the bundle only; options other than `space` go to the package itself.
// __tests__/stable-stringify.test.ts holds it to the package on every stack amifleet writes
// and on generated JSON.
// The copy cdktf carries (a bundled dependency of cdktf 0.21, so always at this path).
import original = require('cdktf/node_modules/json-stable-stringify');

type Options = Parameters<typeof original>[1];

function stableStringify(value: unknown, options?: Options): string | undefined {
  if (options !== undefined && (typeof options !== 'object' || Object.keys(options).some((k) => k !== 'space'))) {
    return original(value, options);
  }
  const rawSpace = options?.space || '';
  const space = typeof rawSpace === 'number' ? ' '.repeat(rawSpace) : rawSpace;
  const colon = space ? ': ' : ':';
  // Indentation by depth: '\n' and `space` repeated, built once per depth.
  const indents: string[] = [];
  const indentAt = (level: number): string => (indents[level] ??= space ? `\n${space.repeat(level)}` : '');
  // The objects on the path to the current one: a cycle throws, as the package does.
  const ancestors = new Set<object>();

  const write = (node: unknown, level: number): string | undefined => {
    if (node && typeof (node as { toJSON?: unknown }).toJSON === 'function') node = (node as { toJSON: () => unknown }).toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== 'object' || node === null) return JSON.stringify(node);
    const indent = indentAt(level);
    const itemIndent = indent + space;
    if (Array.isArray(node)) {
      let out = '';
      for (let i = 0; i < node.length; i++) {
        out += `${i === 0 ? '' : ','}${itemIndent}${write(node[i], level + 1) || 'null'}`;
      }
      return `[${out}${indent}]`;
    }
    if (ancestors.has(node)) throw new TypeError('Converting circular structure to JSON');
    ancestors.add(node);
    const keys = Object.keys(node).sort();
    let out = '';
    let first = true;
    for (const key of keys) {
      const member = write((node as Record<string, unknown>)[key], level + 1);
      if (!member) continue;
      out += `${first ? '' : ','}${itemIndent}${JSON.stringify(key)}${colon}${member}`;
      first = false;
    }
    ancestors.delete(node);
    return `{${out}${indent}}`;
  };
  return write(value, 0);
}

export = stableStringify;

import { Lazy, TerraformDataSource, TerraformLocal, type IResolveContext, type TerraformResource } from 'cdktf';
import { resolveTokens } from './stack-json';

/** Turns a value into expression text: see `hclExpression`. */
export type HclText = (value: unknown) => string;

/**
 * One string token for a whole Terraform expression, `${<render()>}`, rendered at synth.
 * `render` is given `hcl`, which turns a value into expression text: a token into its
 * expression (a reference, a function call) without `${}`, a literal string, list of strings
 * or map of strings into HCL. A quoted string is a template in HCL too, so a literal that must
 * stay text is given as `terraformLiteral` writes it. cdktf resolves a tree of iterator and
 * function tokens at about 100 µs a node; a snapshot `for_each` built from them is a tree of a
 * dozen and was the costliest value of a fleet stack. As one token over short references, it
 * resolves to the same text ~10x faster.
 *
 * The addresses it writes are plain text to cdktf: use it only within the elements' own stack
 * (cdktf turns a reference across stacks into a remote-state lookup; it cannot see these).
 *
 * @example
 * hclExpression((hcl) => `one(${hcl(list)})`);
 */
export function hclExpression(render: (hcl: HclText) => string): string {
  return Lazy.stringValue({
    produce: (context: IResolveContext) => {
      const expression = render((value) => hclText(context, value));
      // Inside another expression (a cdktf function or iterator around this one), without `${}`.
      return context.suppressBraces ? expression : `\${${expression}}`;
    },
  });
}

/** How an expression refers to an element: `aws_ami_copy.<id>`, `data.aws_ami.<id>`, `local.<id>`. Read at synth, as cdktf reads it. */
export function hclAddress(element: TerraformResource | TerraformDataSource | TerraformLocal): string {
  if (element instanceof TerraformLocal) return `local.${element.friendlyUniqueId}`;
  const prefix = TerraformDataSource.isTerraformDataSource(element) ? 'data.' : '';
  return `${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

function hclText(context: IResolveContext, value: unknown): string {
  const resolved = resolveTokens(context.scope, value);
  const text = (s: string) => interpolated(s) ?? hclQuoted(s);
  if (typeof resolved === 'string') return text(resolved);
  if (Array.isArray(resolved) && resolved.every((v) => typeof v === 'string')) {
    // As cdktf writes a literal list inside an expression.
    return `[${resolved.map(text).join(', ')}]`;
  }
  if (resolved !== null && typeof resolved === 'object' && Object.values(resolved).every((v) => typeof v === 'string')) {
    // As cdktf writes a literal map inside an expression, with its keys quoted as HCL reads them.
    return `{${Object.entries(resolved as Record<string, string>).map(([k, v]) => `${hclQuoted(k)} = ${text(v)}`).join(', ')}}`;
  }
  throw new Error(`hclExpression: cannot write ${JSON.stringify(resolved)} into an expression; give a string, a list or map of strings, or a token`);
}

/** JSON's escapes that HCL lacks (\b, \f), as the \u escapes it has. */
const HCL_ESCAPES: Record<string, string> = { '\\b': '\\u0008', '\\f': '\\u000c' };

/** A string as an HCL quoted string: JSON's quoting, with each escape in a form HCL knows. */
function hclQuoted(s: string): string {
  return JSON.stringify(s).replace(/\\[\s\S]/g, (escape) => HCL_ESCAPES[escape] ?? escape);
}

/** The expression of a string that is one whole interpolation, `${<expression>}`; undefined for any other string. */
function interpolated(s: string): string | undefined {
  if (!s.startsWith('${') || !s.endsWith('}')) return undefined;
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0 && i !== s.length - 1) return undefined;
  }
  return s.slice(2, -1);
}

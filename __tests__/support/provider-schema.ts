import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type JsiiType = { fqn?: string; primitive?: string; collection?: { kind: string; elementtype: JsiiType }; union?: { types: JsiiType[] } };
type JsiiProperty = { name: string; optional?: boolean; type: JsiiType; docs?: { summary?: string; remarks?: string } };
type JsiiEntry = {
  kind: string;
  docs?: { summary?: string };
  properties?: JsiiProperty[];
  interfaces?: string[];
  initializer?: { parameters?: { type: JsiiType }[] };
};

/** One block of a resource's schema: its attributes, and the nested blocks they open. */
export interface BlockSchema {
  readonly attributes: Map<string, { required: boolean; block?: BlockSchema; isList: boolean }>;
}

/** Terraform block schemas of every resource and data source of the installed AWS provider, from its .jsii. */
export class ProviderSchema {
  private readonly types: Record<string, JsiiEntry>;
  private readonly blocks = new Map<string, BlockSchema>();
  readonly resources = new Map<string, string>();
  readonly dataSources = new Map<string, string>();

  constructor() {
    const file = join(require.resolve('@cdktf/provider-aws/package.json'), '..', '.jsii');
    this.types = (JSON.parse(readFileSync(file, 'utf8')) as { types: Record<string, JsiiEntry> }).types;
    for (const entry of Object.values(this.types)) {
      const m = /docs\/(resources|data-sources)\/[a-z0-9_]+ (aws_[a-z0-9_]+)\}/.exec(entry.docs?.summary ?? '');
      const config = entry.initializer?.parameters?.[2]?.type.fqn;
      if (entry.kind !== 'class' || !m || !config) continue;
      (m[1] === 'resources' ? this.resources : this.dataSources).set(m[2], config);
    }
  }

  block(configFqn: string): BlockSchema {
    const cached = this.blocks.get(configFqn);
    if (cached) return cached;
    const attributes: BlockSchema['attributes'] = new Map();
    const schema: BlockSchema = { attributes };
    this.blocks.set(configFqn, schema);
    for (const p of this.properties(configFqn)) {
      const nested = structOf(p.type);
      attributes.set(terraformName(p), {
        required: !p.optional,
        isList: nested?.isList ?? false,
        block: nested && this.types[nested.fqn]?.properties ? this.block(nested.fqn) : undefined,
      });
    }
    return schema;
  }

  private properties(fqn: string): JsiiProperty[] {
    const entry = this.types[fqn];
    if (!entry) return [];
    // Meta-arguments come from cdktf's TerraformMetaArguments, which the struct only names in `interfaces`.
    return entry.properties ?? [];
  }
}

function structOf(type: JsiiType): { fqn: string; isList: boolean } | undefined {
  if (type.fqn?.startsWith('@cdktf/provider-aws.')) return { fqn: type.fqn, isList: false };
  if (type.collection?.kind === 'array' && type.collection.elementtype.fqn?.startsWith('@cdktf/provider-aws.')) {
    return { fqn: type.collection.elementtype.fqn, isList: true };
  }
  for (const t of type.union?.types ?? []) {
    const s = structOf(t);
    if (s) return s;
  }
  return undefined;
}

function terraformName(p: JsiiProperty): string {
  const text = `${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`;
  return /#([a-z0-9_]+) [A-Za-z0-9]+#/.exec(text)?.[1]
    ?? /^([a-z0-9_]+) block\./.exec(p.docs?.summary ?? '')?.[1]
    ?? p.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Terraform meta-arguments every resource block may carry, besides its schema. */
export const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'connection', 'provisioner']);

/** Every attribute path in `body` that the schema does not have, and every required one missing. */
export function schemaProblems(body: Record<string, unknown>, schema: BlockSchema, where: string, top = true): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (top && META_ARGUMENTS.has(key)) continue;
    const attribute = schema.attributes.get(key);
    if (!attribute) {
      problems.push(`${where}.${key}: no such attribute`);
      continue;
    }
    if (!attribute.block || typeof value === 'string') continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      if (item && typeof item === 'object') {
        problems.push(...schemaProblems(item as Record<string, unknown>, attribute.block as BlockSchema, `${where}.${key}[${i}]`, false));
      }
    });
  }
  for (const [key, attribute] of schema.attributes) {
    if (attribute.required && !(key in body)) problems.push(`${where}.${key}: required but missing`);
  }
  return problems;
}

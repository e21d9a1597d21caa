import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import type { TfJson } from './fleets';

const PROVIDER_LIB = join(__dirname, '..', '..', 'node_modules', '@cdktf', 'provider-aws', 'lib');

/** Terraform's meta-arguments: valid on every resource, not in any provider schema. */
export const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/** Every string of the JSON that Terraform reads as a template with an expression in it. */
export function terraformExpressions(json: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('${')) out.push(v);
    } else if (v !== null && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(json);
  return out;
}

/** The HCL parser's complaint about a JSON string template, or undefined when it parses. */
export async function hclSyntaxError(template: string): Promise<string | undefined> {
  try {
    // A heredoc is a template like a JSON string, with no quote escaping to get wrong.
    await parse('amifleet.tf', `x = <<EOT\n${template}\nEOT\n`);
    return undefined;
  } catch (e) {
    return String(e);
  }
}

function typings(kind: 'resource' | 'data', type: string): string {
  // lib/ami-copy for aws_ami_copy, lib/data-aws-ami for data.aws_ami.
  const dir = (kind === 'data' ? `data_${type}` : type.replace(/^aws_/, '')).replace(/_/g, '-');
  return readFileSync(join(PROVIDER_LIB, dir, 'index.d.ts'), 'utf8');
}

/**
 * The arguments a resource or data source takes, by Terraform name, from the provider's own
 * bindings: each config property's docs link names it (`.../resources/ami_copy#deprecation_time`).
 */
export function providerArguments(kind: 'resource' | 'data', type: string): Set<string> {
  const text = typings(kind, type);
  const config = /export interface \w+Config extends cdktf\.TerraformMetaArguments \{([\s\S]*?)\n\}/.exec(text);
  if (!config) throw new Error(`no config interface for ${kind} ${type}`);
  const page = `${kind === 'data' ? 'data-sources' : 'resources'}/${type.replace(/^aws_/, '')}#`;
  const names = [...config[1].matchAll(new RegExp(`${page}(\\w+)`, 'g'))].map((m) => m[1]);
  return new Set(names);
}

/** The attributes a resource or data source exposes (arguments and computed), by Terraform name. */
export function providerAttributes(kind: 'resource' | 'data', type: string): Set<string> {
  const text = typings(kind, type);
  const main = text.slice(text.indexOf(`tfResourceType = "${type}"`));
  const getters = [...main.matchAll(/^ {4}get (\w+)\(\)/gm)].map((m) => m[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  return new Set(getters);
}

/** Every `type.name.attribute` (and `data.type.name.attribute`) an expression reads. */
export function attributeReferences(expression: string): { kind: 'resource' | 'data'; type: string; attribute: string }[] {
  return [...expression.matchAll(/(?<![\w.])(data\.)?(aws_\w+)\.[A-Za-z_][\w-]*\.(\w+)/g)]
    .map((m) => ({ kind: m[1] ? 'data' as const : 'resource' as const, type: m[2], attribute: m[3] }));
}

/** Problems with what a stack writes and reads, checked against the provider's schema. */
export function schemaProblems(stack: TfJson): string[] {
  const problems: string[] = [];
  const blocks = [
    ...Object.entries(stack.resource ?? {}).map(([type, byName]) => ({ kind: 'resource' as const, type, byName })),
    ...Object.entries(stack.data ?? {}).map(([type, byName]) => ({ kind: 'data' as const, type, byName })),
  ];
  for (const { kind, type, byName } of blocks) {
    const known = providerArguments(kind, type);
    for (const [name, block] of Object.entries(byName)) {
      for (const key of Object.keys(block)) {
        if (!META_ARGUMENTS.has(key) && !known.has(key)) problems.push(`${type}.${name}: no argument ${key}`);
      }
      const ignored = (block.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes ?? [];
      for (const key of ignored) {
        if (!known.has(key)) problems.push(`${type}.${name}: ignore_changes names no argument ${key}`);
      }
    }
  }
  for (const expression of terraformExpressions(stack)) {
    for (const ref of attributeReferences(expression)) {
      if (!providerAttributes(ref.kind, ref.type).has(ref.attribute)) {
        problems.push(`${expression}: ${ref.type} has no attribute ${ref.attribute}`);
      }
    }
  }
  return problems;
}

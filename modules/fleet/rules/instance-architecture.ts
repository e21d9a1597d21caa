import type { Architecture, Fleet } from '../fleet-spec';

/**
 * The architecture an instance type runs, from EC2's naming convention: the processor letter
 * right after the generation is `g` for AWS Graviton (m7g, c7gn, t4g, r8gd, im4gn, hpc7g);
 * a1 is the first Graviton; mac1 is Intel, later Macs are Apple silicon.
 */
export function instanceArchitecture(instanceType: string): Architecture | undefined {
  const family = instanceType.split('.')[0];
  if (family === 'a1') return 'arm64';
  if (family === 'mac1') return 'x86_64_mac';
  if (family.startsWith('mac')) return 'arm64_mac';
  const m = /^([a-z]+)(\d+)([a-z0-9-]*)$/.exec(family);
  if (!m) return undefined;
  return m[3].startsWith('g') ? 'arm64' : 'x86_64';
}

/**
 * The source image's architecture as far as the fleet file tells it offline: a lookup's
 * `architecture`, else an architecture named in the lookup's name or the SSM parameter
 * (`...-x86_64`, `...-arm64`). Undefined for a pinned id: the plan-time guard reads it then.
 */
export function declaredArchitecture(fleet: Fleet): { architecture: Architecture; from: string } | undefined {
  const { lookup, ssmParameter } = fleet.source;
  if (lookup?.architecture) return { architecture: lookup.architecture, from: 'source.lookup.architecture' };
  const named = (text: string | undefined, from: string) => {
    if (text === undefined) return undefined;
    if (/(^|[^a-z0-9])(arm64|aarch64)([^a-z0-9]|$)/i.test(text)) return { architecture: 'arm64' as const, from };
    if (/(^|[^a-z0-9])(x86_64|amd64)([^a-z0-9]|$)/i.test(text)) return { architecture: 'x86_64' as const, from };
    return undefined;
  };
  return named(lookup?.name, 'source.lookup.name') ?? named(ssmParameter, 'source.ssmParameter');
}

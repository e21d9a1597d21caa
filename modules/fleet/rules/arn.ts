/** The parts of an ARN: arn:<partition>:<service>:<region>:<account>:<resource>. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const [prefix, partition, service, region, account, ...resource] = text.split(':');
  if (prefix !== 'arn' || !partition || !service || resource.length === 0) return undefined;
  return { partition, service, region, account, resource: resource.join(':') };
}

import { TerraformIterator, Token, type MapTerraformIterator } from 'cdktf';
import { hclExpression } from '../rendering/hcl-expression';

const ATTRIBUTE_NAME = /^[a-z_]+$/;

/**
 * A `for_each` over every snapshot device of a copy and every value of a list, keyed
 * `<device>|<value>`. Both are known at plan (device names come from the source image), so
 * Terraform can plan the keys before any copy exists; `each.value` is `{ device, <valueName> }`.
 *
 * @example
 * const each = snapshotForEach(source.snapshotDeviceNames, ['444455556666'], 'account');
 * eachValue('device'); eachValue('account'); // or each.getString(...), slower to resolve
 */
export function snapshotForEach(deviceNames: string[], values: string[], valueName: string): MapTerraformIterator {
  if (!ATTRIBUTE_NAME.test(valueName) || valueName === 'device') {
    throw new Error(`snapshotForEach: valueName must be a lowercase attribute name other than device, got ${valueName}`);
  }
  // What `TerraformIterator.fromList(Fn.setproduct(...)).forExpressionForMap(...)` writes, as one token (see hclExpression).
  return TerraformIterator.fromMap(Token.asAnyMap(hclExpression((hcl) =>
    `{ for key, val in toset(setproduct(${hcl(deviceNames)}, ${hcl(values)})): "\${val[0]}|\${val[1]}" => { device = val[0], ${valueName} = val[1] } }`)));
}

/**
 * `each.value.<name>` in a resource iterating a `snapshotForEach`: `device`, or its value
 * name. The same text as `iterator.getString(name)`, as one token that resolves 4x faster.
 */
export function eachValue(name: string): string {
  if (!ATTRIBUTE_NAME.test(name)) throw new Error(`eachValue: name must be a lowercase attribute name, got ${name}`);
  return hclExpression(() => `each.value.${name}`);
}

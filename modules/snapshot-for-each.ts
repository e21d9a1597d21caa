import { TerraformIterator, Token, type MapTerraformIterator } from 'cdktf';
import { hclExpression } from './hcl-expression';

/**
 * A `for_each` over every snapshot device of a copy and every value of a list, keyed
 * `<device>|<value>`. Both are known at plan (device names come from the source image), so
 * Terraform can plan the keys before any copy exists; `each.value` is `{ device, <valueName> }`.
 *
 * @example
 * const each = snapshotForEach(source.snapshotDeviceNames, ['444455556666'], 'account');
 * each.getString('device'); each.getString('account');
 */
export function snapshotForEach(deviceNames: string[], values: string[], valueName: string): MapTerraformIterator {
  if (!/^[a-z_]+$/.test(valueName) || valueName === 'device') {
    throw new Error(`snapshotForEach: valueName must be a lowercase attribute name other than device, got ${valueName}`);
  }
  // What `TerraformIterator.fromList(Fn.setproduct(...)).forExpressionForMap(...)` writes, as one token (see hclExpression).
  return TerraformIterator.fromMap(Token.asAnyMap(hclExpression((hcl) =>
    `{ for key, val in toset(setproduct(${hcl(deviceNames)}, ${hcl(values)})): "\${val[0]}|\${val[1]}" => { device = val[0], ${valueName} = val[1] } }`)));
}

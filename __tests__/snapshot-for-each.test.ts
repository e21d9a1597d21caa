import { Fn, TerraformIterator, TerraformOutput, TerraformVariable, Testing } from 'cdktf';
import { eachValue, snapshotForEach } from '../modules/constructs/snapshot-for-each';
import { hclSyntaxError } from './support/terraform';

describe('snapshotForEach', () => {
  let json: { output: Record<string, { value: string }> };
  beforeAll(() => {
    json = JSON.parse(Testing.synthScope((scope) => {
      const each = snapshotForEach(['/dev/xvda', '/dev/xvdb'], ['444455556666'], 'account');
      new TerraformOutput(scope, 'keys', { value: each.forExpressionForMap('key', 'val') });
      new TerraformOutput(scope, 'device', { value: each.getString('device') });
      new TerraformOutput(scope, 'account', { value: each.getString('account') });
    }));
  });

  it('pairs every device with every value, keyed <device>|<value>', async () => {
    const keys = json.output.keys.value;
    expect(keys).toContain('setproduct(["/dev/xvda", "/dev/xvdb"], ["444455556666"])');
    expect(keys).toContain('"${val[0]}|${val[1]}" => { device = val[0], account = val[1] }');
    expect(await hclSyntaxError(keys)).toBeUndefined();
  });

  it('gives each instance its device and value by name', () => {
    expect(json.output.device.value).toBe('${each.value.device}');
    expect(json.output.account.value).toBe('${each.value.account}');
  });

  it('writes what cdktf\'s own iterators write for the same pairs, as one token', () => {
    const out = JSON.parse(Testing.synthScope((scope) => {
      const devices = new TerraformVariable(scope, 'devices', { type: 'list(string)' }).listValue;
      const values = ['444455556666', '777788889999'];
      const ours = snapshotForEach(devices, values, 'account');
      const theirs = TerraformIterator.fromMap(TerraformIterator.fromList(Fn.setproduct([devices, values]))
        .forExpressionForMap('"${val[0]}|${val[1]}"', '{ device = val[0], account = val[1] }'));
      new TerraformOutput(scope, 'ours', { value: ours.forExpressionForMap('key', 'val') });
      new TerraformOutput(scope, 'theirs', { value: theirs.forExpressionForMap('key', 'val') });
    })) as { output: Record<string, { value: string }> };
    expect(out.output.ours.value).toContain('setproduct(var.devices, ["444455556666", "777788889999"])');
    expect(out.output.ours.value).toBe(out.output.theirs.value);
  });

  it('gives each.value.<name> as one token, the text the iterator gives', () => {
    const out = JSON.parse(Testing.synthScope((scope) => {
      const each = snapshotForEach(['/dev/xvda'], ['444455556666'], 'account');
      new TerraformOutput(scope, 'ours', { value: [eachValue('device'), eachValue('account')] });
      new TerraformOutput(scope, 'theirs', { value: [each.getString('device'), each.getString('account')] });
    })) as { output: Record<string, { value: string[] }> };
    expect(out.output.ours.value).toEqual(['${each.value.device}', '${each.value.account}']);
    expect(out.output.ours.value).toEqual(out.output.theirs.value);
    expect(() => eachValue('a.b')).toThrow(/name/);
  });

  it('refuses a value name that would hide the device or break the expression', () => {
    expect(() => snapshotForEach([], [], 'device')).toThrow(/valueName/);
    expect(() => snapshotForEach([], [], 'a = 1 }')).toThrow(/valueName/);
  });
});

import fc from 'fast-check';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AmiCopy } from '@cdktf/provider-aws/lib/ami-copy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { userDataBase64 } from '../modules/rendering/user-data-encoding';
import { instanceUserData } from './support/user-data';

// Text heavy in what HCL, JSON and cdktf treat specially: ${ %{ \ " line breaks, control characters.
const tricky = fc.string({
  unit: fc.constantFrom('$', '{', '}', '%', '\\', '"', "'", '\n', '\r', '\t', '\u0001', '\u007f', 'a', ' ', 'é', '💥', '~'),
  maxLength: 24,
});
const CASES = fc.sample(fc.tuple(tricky, tricky, fc.boolean()), { numRuns: 300, seed: 4 });
const IMAGE_ID = 'ami-0fedcba9876543210';

describe('userDataBase64: text around Terraform references reaches the instance unchanged', () => {
  let outputs: Record<string, { value: unknown }>;
  let reference: string;
  let warned: jest.SpyInstance;

  beforeAll(() => {
    warned = jest.spyOn(console, 'warn');
    const stack = new TerraformStack(Testing.app(), 'user-data');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const copy = new AmiCopy(stack, 'copy', { name: 'c', sourceAmiId: 'ami-1', sourceAmiRegion: 'us-east-1' });
    CASES.forEach(([before, after, twice], i) => {
      const text = `${before}${copy.id}${after}${twice ? copy.id : ''}`;
      new TerraformOutput(stack, `case${i}`, { value: userDataBase64(text) });
    });
    new TerraformOutput(stack, 'plain', { value: userDataBase64('no ${references} here\n') });
    const json = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: unknown }> };
    outputs = json.output;
    reference = `aws_ami_copy.${Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_ami_copy)[0]}.id`;
  });

  afterAll(() => warned.mockRestore());

  it('for every sampled text, Terraform\'s base64encode() argument evaluates to the text with the image id in it', () => {
    CASES.forEach(([before, after, twice], i) => {
      const expected = `${before}${IMAGE_ID}${after}${twice ? IMAGE_ID : ''}`;
      const got = instanceUserData(outputs[`case${i}`].value, (e) => {
        expect(e).toBe(reference);
        return IMAGE_ID;
      });
      expect({ i, text: got }).toEqual({ i, text: expected });
    });
  });

  it('writes plain base64 when the text holds no reference', () => {
    expect(outputs.plain.value).toBe(Buffer.from('no ${references} here\n').toString('base64'));
  });

  it('never makes cdktf warn about escape sequences', () => {
    expect(warned).not.toHaveBeenCalled();
  });
});

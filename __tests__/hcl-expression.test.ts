import { Fn, TerraformLocal, TerraformOutput, TerraformVariable, Testing, Token } from 'cdktf';
import { AmiCopy } from '@cdktf/provider-aws/lib/ami-copy';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { hclAddress, hclExpression } from '../modules/rendering/hcl-expression';
import { hclSyntaxError } from './support/terraform';
import { terraformValues } from './support/terraform-values';

type Outputs = { output: Record<string, { value: unknown }> };

describe('hclExpression', () => {
  let json: Outputs;
  beforeAll(() => {
    json = JSON.parse(Testing.synthScope((scope) => {
      const copy = new AmiCopy(scope, 'copy', { name: 'x', sourceAmiId: 'ami-0123456789abcdef0', sourceAmiRegion: 'us-east-1' });
      const image = new DataAwsAmi(scope, 'image', { owners: ['amazon'], mostRecent: true });
      const tags = new TerraformLocal(scope, 'tags', { a: 'b' });
      const moved = new AmiCopy(scope, 'moved', { name: 'y', sourceAmiId: 'ami-0123456789abcdef0', sourceAmiRegion: 'us-east-1' });
      moved.overrideLogicalId('renamed');
      const names = new TerraformVariable(scope, 'names', { type: 'list(string)' });
      new TerraformOutput(scope, 'addresses', {
        value: hclExpression(() => [copy, image, tags, moved].map(hclAddress).join(' + ')),
      });
      new TerraformOutput(scope, 'literals', { value: hclExpression((hcl) => `concat(${hcl(['/dev/xvda', 'say "hi"'])}, [${hcl('one')}])`) });
      new TerraformOutput(scope, 'tokens', { value: hclExpression((hcl) => `setproduct(${hcl(names.listValue)}, ${hcl(Token.asList(Fn.keys(tags.asStringMap)))})`) });
      new TerraformOutput(scope, 'nested', { value: Fn.upper(hclExpression((hcl) => `lower(${hcl(copy.id)})`)) });
      new TerraformOutput(scope, 'template', { value: hclExpression((hcl) => `length(${hcl(`id-${copy.id}`)})`) });
      new TerraformOutput(scope, 'map', { value: hclExpression((hcl) => `merge(${hcl({ 'k$${x}': 'say "hi"', id: copy.id })}, {})`) });
      new TerraformOutput(scope, 'literal', { value: hclExpression((hcl) => `merge(${hcl({ 'k$${x}': 'v%%{y}\b\f\\b"' })}, {})`) });
    }));
  });

  it('writes addresses as Terraform references them, an overridden logical id included', () => {
    expect(json.output.addresses.value).toBe('${aws_ami_copy.copy + data.aws_ami.image + local.tags + aws_ami_copy.renamed}');
  });

  it('writes literal strings and lists of strings as HCL, quotes escaped', async () => {
    expect(json.output.literals.value).toBe('${concat(["/dev/xvda", "say \\"hi\\""], ["one"])}');
    expect(await hclSyntaxError(json.output.literals.value as string)).toBeUndefined();
  });

  it('writes tokens as their expressions, without ${}', () => {
    expect(json.output.tokens.value).toBe('${setproduct(var.names, keys(local.tags))}');
  });

  it('drops its own ${} inside another expression', () => {
    expect(json.output.nested.value).toBe('${upper(lower(aws_ami_copy.copy.id))}');
  });

  it('quotes a string that mixes text and interpolation, as an HCL template', async () => {
    expect(json.output.template.value).toBe('${length("id-${aws_ami_copy.copy.id}")}');
    expect(await hclSyntaxError(json.output.template.value as string)).toBeUndefined();
  });

  it('writes a map of strings as an HCL object, keys quoted, tokens as their expressions', async () => {
    expect(json.output.map.value).toBe('${merge({"k$${x}" = "say \\"hi\\"", "id" = aws_ami_copy.copy.id}, {})}');
    expect(await hclSyntaxError(json.output.map.value as string)).toBeUndefined();
  });

  it('writes literals Terraform reads back as the same text: escaped templates, quotes, backslashes, control characters', () => {
    const { literal } = terraformValues({ literal: json.output.literal.value });
    expect(literal).toEqual({ 'k${x}': 'v%{y}\b\f\\b"' });
  });

  it('refuses a value it cannot write into an expression', () => {
    expect(() => Testing.synthScope((scope) => {
      new TerraformOutput(scope, 'bad', { value: hclExpression((hcl) => hcl({ a: 1 })) });
    })).toThrow(/cannot write \{"a":1\} into an expression/);
  });
});

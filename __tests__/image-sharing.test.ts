import { Testing } from 'cdktf';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import { FleetValidationError } from '../modules/fleet/fleet-validation-error';
import { ImageSource } from '../modules/constructs/image-source';
import { ImageSharing, type ImageSharingProps } from '../modules/constructs/image-sharing';
import { RegionalImageCopy } from '../modules/constructs/regional-image-copy';
import { parseFleetText } from '../loader/load-fleet';
import { formatDiagnostic } from '../loader/diagnostic';
import { baseFleet, only, resources, synthFleet, type TfJson } from './support/fleets';
import { VALID_YAML } from './support/cli';

const ORG = 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5';
const OU = 'arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56';

function synth(props: Partial<ImageSharingProps> = {}, encrypted = true): TfJson {
  return JSON.parse(Testing.synthScope((scope) => {
    const source = new ImageSource(scope, 'source', { region: 'us-east-1', ami: 'ami-0123456789abcdef0' });
    const copy = new RegionalImageCopy(scope, 'copy', {
      region: 'eu-west-1', sourceRegion: 'us-east-1', sourceImageId: source.imageId, name: 'web-ami-0123456789abcdef0', encrypted,
    });
    new ImageSharing(scope, 'sharing', { copy, snapshotDeviceNames: source.snapshotDeviceNames, ...props });
  })) as TfJson;
}

/** Launch permissions by the attribute that names who gets them. */
function permissionsBy(json: TfJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resources(json, 'aws_ami_launch_permission')).map((p) => {
    const who = ['account_id', 'organization_arn', 'organizational_unit_arn', 'group'].find((k) => k in p) as string;
    return [who, p];
  }));
}

describe('ImageSharing', () => {
  let json: TfJson;
  let copyRef: string;
  beforeAll(() => {
    json = synth({ accounts: ['777788889999', '444455556666', '444455556666'], organizationArns: [ORG], organizationalUnitArns: [OU] });
    copyRef = `\${aws_ami_copy.${Object.keys(json.resource!.aws_ami_copy)[0]}.id}`;
  });

  it('gives each account, organization and OU a launch permission on the copy, in its region', () => {
    const by = permissionsBy(json);
    expect(Object.keys(by).sort()).toEqual(['account_id', 'organization_arn', 'organizational_unit_arn']);
    expect(by.account_id).toMatchObject({ for_each: '${toset(["444455556666", "777788889999"])}', account_id: '${each.value}' });
    expect(by.organization_arn).toMatchObject({ for_each: `\${toset(["${ORG}"])}`, organization_arn: '${each.value}' });
    expect(by.organizational_unit_arn).toMatchObject({ for_each: `\${toset(["${OU}"])}`, organizational_unit_arn: '${each.value}' });
    for (const p of Object.values(by)) expect(p).toMatchObject({ region: 'eu-west-1', image_id: copyRef });
  });

  it('keys permissions by account and ARN, so the order of the lists never matters', () => {
    const reordered = synth({ accounts: ['444455556666', '777788889999'], organizationArns: [ORG], organizationalUnitArns: [OU] });
    expect(reordered.resource).toEqual(json.resource);
  });

  it('lets the accounts create volumes from (and so copy) each snapshot, keyed by device and account', () => {
    const permission = only(resources(json, 'aws_snapshot_create_volume_permission'));
    const source = Object.keys(json.data!.aws_ami)[0];
    expect(permission.region).toBe('eu-west-1');
    expect(permission.for_each).toContain(`data.aws_ami.${source}.block_device_mappings`);
    expect(permission.for_each).toContain('["444455556666", "777788889999"]');
    expect(permission.for_each).toContain('"${val[0]}|${val[1]}" => { device = val[0], account = val[1] }');
    expect(permission.account_id).toBe('${each.value.account}');
    expect(permission.snapshot_id).toMatch(/^\$\{one\(\[ for key, val in toset\(tolist\(aws_ami_copy\.[^.]+\.ebs_block_device\)\): val\.snapshot_id if val\.device_name == each\.value\.device\]\)\}$/);
  });

  it('keeps every permission while a new copy replaces the old one (created first, destroyed after)', () => {
    for (const type of ['aws_ami_launch_permission', 'aws_snapshot_create_volume_permission']) {
      for (const p of Object.values(resources(json, type))) expect(p.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  it('shares nothing publicly unless asked', () => {
    expect(JSON.stringify(json)).not.toMatch(/"group"/);
  });

  it('has no snapshot permissions for organizations alone (AWS has none), only launch permissions', () => {
    const orgOnly = synth({ organizationArns: [ORG] });
    expect(resources(orgOnly, 'aws_snapshot_create_volume_permission')).toEqual({});
    expect(Object.keys(permissionsBy(orgOnly))).toEqual(['organization_arn']);
  });

  it('makes an unencrypted copy public only for public: every-aws-account', () => {
    const open = synth({ public: 'every-aws-account' }, false);
    expect(only(resources(open, 'aws_ami_launch_permission'))).toMatchObject({ group: 'all', region: 'eu-west-1', lifecycle: { create_before_destroy: true } });
    expect(resources(open, 'aws_snapshot_create_volume_permission')).toEqual({});
  });

  it('refuses to make an encrypted copy public, or public by any other value', () => {
    expect(() => synth({ public: 'every-aws-account' })).toThrow(/an encrypted copy cannot be public/);
    expect(() => synth({ public: true as unknown as 'every-aws-account' }, false)).toThrow(/public must be 'every-aws-account'/);
  });

  it('refuses account ids that are not 12 digits', () => {
    expect(() => synth({ accounts: ['44445555666'] })).toThrow(/12-digit account ids: 44445555666/);
  });
});

describe('sharing a fleet', () => {
  it('shares every region\'s copy', () => {
    const stacks = synthFleet(baseFleet({ copy: { shareWith: { accounts: ['444455556666'] } } }));
    for (const [name, stack] of Object.entries(stacks)) {
      const region = name.replace('web-', '');
      expect(only(resources(stack, 'aws_ami_launch_permission')).region).toBe(region);
      expect(only(resources(stack, 'aws_snapshot_create_volume_permission')).region).toBe(region);
    }
  });

  it('shares nothing by default', () => {
    const stack = synthFleet(baseFleet())['web-eu-west-1'];
    expect(resources(stack, 'aws_ami_launch_permission')).toEqual({});
    expect(resources(stack, 'aws_snapshot_create_volume_permission')).toEqual({});
  });

  it('refuses a public fleet whose copies are encrypted (the default), at copy.shareWith.public', () => {
    let error: unknown;
    try {
      addFleetStacks(Testing.app(), baseFleet({ copy: { shareWith: { public: 'every-aws-account' } } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).issues).toEqual([expect.objectContaining({
      path: ['copy', 'shareWith', 'public'], message: expect.stringMatching(/^an encrypted image cannot be public/),
    })]);
  });

  it('makes a fleet public with encrypted: false and public: every-aws-account', () => {
    const stack = synthFleet(baseFleet({
      regions: { 'us-east-1': {} }, copy: { encrypted: false, shareWith: { public: 'every-aws-account' } },
    }))['web-us-east-1'];
    expect(only(resources(stack, 'aws_ami_launch_permission')).group).toBe('all');
  });

  it('tells a fleet file where the problem is', () => {
    const messages = (text: string) => parseFleetText('web.yaml', text).diagnostics.map(formatDiagnostic);
    expect(messages(`${VALID_YAML}copy:\n  shareWith:\n    public: every-aws-account\n`)).toEqual([
      expect.stringMatching(/^web\.yaml:12:13: copy\.shareWith\.public: an encrypted image cannot be public \(AWS refuses\); set copy\.encrypted: false/),
    ]);
    // encrypted: false was accepted, so its warning comes out beside the error.
    expect(messages(`${VALID_YAML}copy:\n  encrypted: false\n  shareWith:\n    public: true\n`)).toEqual([
      expect.stringMatching(/^web\.yaml:11:14: warning: copy\.encrypted: copies are not encrypted.*\[unencrypted-copy\]$/),
      'web.yaml:13:13: copy.shareWith.public: must be one of every-aws-account',
    ]);
  });
});

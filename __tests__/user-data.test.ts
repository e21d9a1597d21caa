import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetSchema } from '../modules/fleet/fleet-spec';
import { TemplateError } from '../modules/rendering/strict-templates';
import { EXAMPLE_IMAGE_ID, USER_DATA_MAX_BYTES, renderUserData, userDataValues, type UserDataValues } from '../modules/rendering/user-data';
import { baseFleet } from './support/fleets';
import { ROOT } from './support/cli';

const fleet = FleetSchema.parse(baseFleet({
  tags: { team: 'platform' },
  regions: { 'us-east-1': {}, 'eu-west-1': { instanceType: 'm7i.large', tags: { 'region-owner': 'emea' } } },
  launchTemplate: { instanceType: 't3.micro', userData: { template: 'web.sh.hbs', vars: { port: 8080, motd: "it's up" } } },
}));

const template = (source: string) => ({ name: 'web.sh.hbs', source });
const values = (region: string, amiId = EXAMPLE_IMAGE_ID): UserDataValues => userDataValues(fleet, region, amiId);

function failure(source: string, v: UserDataValues): TemplateError {
  try {
    renderUserData(template(source), v);
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('rendered without error');
}

describe('renderUserData: what a template sees in each region', () => {
  const source = '{{fleet}} {{region}} {{amiId}} {{instanceType}} {{port}} {{json tags}}';

  it('gives fleet, region, amiId, the region\'s instance type, its tags, and the vars by name', () => {
    expect(renderUserData(template(source), values('eu-west-1', 'ami-0eu'))).toBe(
      'web eu-west-1 ami-0eu m7i.large 8080 {"Fleet":"web","ManagedBy":"amifleet","region-owner":"emea","team":"platform"}');
    expect(renderUserData(template(source), values('us-east-1', 'ami-0us'))).toBe(
      'web us-east-1 ami-0us t3.micro 8080 {"Fleet":"web","ManagedBy":"amifleet","team":"platform"}');
  });

  it('quotes for the shell and JSON, and keeps one-line values on one line', () => {
    expect(renderUserData(template("echo {{shellQuote motd}} {{json motd}} {{shellQuote (lookup tags \"team\")}}"), values('us-east-1')))
      .toBe(`echo 'it'\\''s up' "it's up" 'platform'`);
    expect(failure('ExecStart={{oneLine motd}}', userDataValues(FleetSchema.parse(baseFleet({
      launchTemplate: { instanceType: 't3.micro', userData: { template: 'x', vars: { motd: 'a\nb' } } },
    })), 'us-east-1', EXAMPLE_IMAGE_ID)).message).toBe('web.sh.hbs:1:11: oneLine: the value must be one line; it holds a line break');
  });

  it('refuses vars that would hide what amifleet gives every template', () => {
    const e = failure('{{region}}', { ...values('us-east-1'), vars: { region: 'mars' } });
    expect(e.problem).toEqual({ kind: 'value', field: ['vars', 'region'], what: expect.stringContaining('"region" is set by amifleet') });
  });

  it('refuses vars without a value, naming where they are', () => {
    const e = failure('x', { ...values('us-east-1'), vars: { ports: { web: null } } });
    expect(e.message).toBe('web.sh.hbs: vars.ports.web: has no value (give it one, or remove it)');
  });
});

describe('renderUserData: the 16 KB EC2 limit', () => {
  const filler = (bytes: number) => `{{amiId}}${'x'.repeat(bytes - EXAMPLE_IMAGE_ID.length)}`;

  it('accepts exactly 16384 bytes', () => {
    expect(Buffer.byteLength(renderUserData(template(filler(USER_DATA_MAX_BYTES)), values('us-east-1')))).toBe(USER_DATA_MAX_BYTES);
  });

  it('refuses one byte more, saying the size', () => {
    const e = failure(filler(USER_DATA_MAX_BYTES + 1), values('us-east-1'));
    expect(e.message).toBe('web.sh.hbs: renders to 16385 bytes of user data in us-east-1; EC2 allows at most 16384 bytes (16 KB) before base64');
    expect(e.problem).toEqual({ kind: 'too-large', bytes: 16385, limit: 16384 });
  });

  it('counts a Terraform reference as the image id Terraform puts there, not as the reference text', () => {
    const reference = '${TfToken[TOKEN.12345]}';
    expect(() => renderUserData(template(filler(USER_DATA_MAX_BYTES)), values('us-east-1', reference))).not.toThrow();
    expect(failure(filler(USER_DATA_MAX_BYTES + 1), values('us-east-1', reference)).problem).toMatchObject({ bytes: 16385 });
  });

  it('counts bytes, not characters', () => {
    expect(failure(`${'é'.repeat(8192)}x`, values('us-east-1')).problem).toMatchObject({ bytes: 16385 });
  });
});

describe('the bundled user data templates', () => {
  const bundled = (name: string) => ({ name, source: readFileSync(join(ROOT, 'templates', 'user-data', name), 'utf8') });
  const withVars = (vars: Record<string, unknown>) => FleetSchema.parse(baseFleet({
    regions: { 'us-east-1': {}, 'eu-west-1': { instanceType: 'm7i.large' } },
    launchTemplate: { instanceType: 't3.micro', userData: { template: 'x', vars } },
  }));

  it('bootstrap.sh.hbs: a script that records the instance and installs the packages', () => {
    const text = renderUserData(bundled('bootstrap.sh.hbs'),
      userDataValues(withVars({ packages: ['nginx', 'jq'], commands: ['systemctl enable --now nginx'] }), 'eu-west-1', 'ami-0eu'));
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain(`<<'AMIFLEET_JSON'\n{"fleet":"web","region":"eu-west-1","imageId":"ami-0eu","instanceType":"m7i.large","tags":{"Fleet":"web","ManagedBy":"amifleet"} }\nAMIFLEET_JSON\n`);
    expect(text).toContain("dnf install -y 'nginx' 'jq'\n");
    expect(text).toContain('\nsystemctl enable --now nginx\n');
    const none = renderUserData(bundled('bootstrap.sh.hbs'), userDataValues(withVars({ packages: [], commands: [] }), 'us-east-1', 'ami-0us'));
    expect(none).not.toContain('dnf install');
  });

  it('service.sh.hbs: a systemd unit named after the fleet, started at boot', () => {
    const text = renderUserData(bundled('service.sh.hbs'),
      userDataValues(withVars({ command: '/usr/bin/python3 -m http.server ${PORT}', port: 8080 }), 'eu-west-1', 'ami-0eu'));
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain("REGION 'eu-west-1' IMAGE_ID 'ami-0eu'");
    expect(text).toContain("INSTANCE_TYPE 'm7i.large' PORT '8080' >/etc/amifleet/web.env");
    expect(text).toContain('\nExecStart=/usr/bin/python3 -m http.server ${PORT}\nDynamicUser=yes\n');
    expect(text).toContain('systemctl enable --now web.service');
  });

  it('service.sh.hbs: names the variable it needs when the fleet leaves it out', () => {
    expect(() => renderUserData(bundled('service.sh.hbs'), userDataValues(withVars({ port: 8080 }), 'eu-west-1', 'ami-0eu')))
      .toThrow(/^service\.sh\.hbs:\d+:\d+: command is not defined$/);
  });
});

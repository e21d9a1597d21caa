import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../loader/diagnostic';
import { loadFleets } from '../loader/load-fleets';
import { workdir } from './support/cli';

/** A fleet file whose user data names `template` (line 11, column 15) with `vars` (from line 13). */
function fleetYaml(template: string, vars = 'port: 8080', regions = 'us-east-1: {}\n  eu-west-1: {}'): string {
  return `fleet: web
source:
  region: us-east-1
  ami: ami-0123456789abcdef0
regions:
  ${regions}
launchTemplate:
  instanceType: t3.micro
  userData:
    template: ${template}
    vars:
      ${vars}
`;
}

/** Loads fleets/web.yaml of a project made of `files`; returns the result and the diagnostics as printed. */
function load(files: Record<string, string>): { loaded: ReturnType<typeof loadFleets>; errors: string[]; dir: string } {
  const dir = workdir(files);
  const loaded = loadFleets([join(dir, 'fleets', 'web.yaml')]);
  return { loaded, dir, errors: loaded.diagnostics.map((d) => formatDiagnostic(d).split(`${dir}/`).join('')) };
}

const FLEET = 'fleets/web.yaml';

describe('user data template lookup', () => {
  it('reads templates/user-data/<name> of the project holding fleets/', () => {
    const { loaded } = load({ [FLEET]: fleetYaml('web.sh.hbs'), 'templates/user-data/web.sh.hbs': '#!/bin/sh\necho {{port}}\n' });
    expect(loaded.failed).toBe(false);
    expect(loaded.fleets[0].userDataTemplate?.source).toBe('#!/bin/sh\necho {{port}}\n');
  });

  it('falls back to amifleet\'s bundled templates for a name the project does not have', () => {
    const { loaded } = load({ [FLEET]: fleetYaml('service.sh.hbs', 'port: 8080\n      command: /usr/bin/env') });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.fleets[0].userDataTemplate?.source).toContain('systemctl enable --now {{fleet}}.service');
  });

  it('prefers the project\'s template of the same name over the bundled one', () => {
    const { loaded } = load({ [FLEET]: fleetYaml('service.sh.hbs'), 'templates/user-data/service.sh.hbs': 'ours {{port}}' });
    expect(loaded.fleets[0].userDataTemplate?.source).toBe('ours {{port}}');
  });

  it('reports a template that does not exist, suggesting a close name', () => {
    const { errors } = load({ [FLEET]: fleetYaml('web.sh.hsb'), 'templates/user-data/web.sh.hbs': 'x' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^fleets\/web\.yaml:11:15: launchTemplate\.userData\.template: no template "web\.sh\.hsb" in templates\/user-data\/ or .*templates\/user-data\/ \(did you mean web\.sh\.hbs\?\)$/);
  });
});

describe('user data templates cannot be read from outside templates/', () => {
  it.each([
    ['../../fleets/web.yaml'],
    ['../secret.txt'],
    ['/etc/passwd'],
    ['sub/../../x.hbs'],
  ])('%s is an error at launchTemplate.userData.template', (name) => {
    const { errors, loaded } = load({ [FLEET]: fleetYaml(JSON.stringify(name)), 'templates/secret.txt': 'secret' });
    expect(errors).toEqual([`${FLEET}:11:15: launchTemplate.userData.template: "${name}" leads outside templates/user-data/; a template must be a file inside that folder (write a name relative to templates/user-data/, such as web.sh.hbs)`]);
    expect(loaded.fleets).toEqual([]);
  });

  it('a link inside templates/user-data/ to a file outside templates/ is an error too', () => {
    const dir = workdir({ [FLEET]: fleetYaml('link.sh.hbs'), 'secret.txt': 'secret' });
    mkdirSync(join(dir, 'templates', 'user-data'), { recursive: true });
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'templates', 'user-data', 'link.sh.hbs'));
    const loaded = loadFleets([join(dir, FLEET)]);
    expect(loaded.failed).toBe(true);
    expect(loaded.diagnostics.map((d) => [d.line, d.col, d.path])).toEqual([[11, 15, 'launchTemplate.userData.template']]);
    expect(loaded.diagnostics[0].message).toMatch(/link\.sh\.hbs leads to .*secret\.txt, outside templates\//);
  });

  it('subfolders inside templates/user-data/ are fine', () => {
    const { loaded } = load({ [FLEET]: fleetYaml('web/app.sh.hbs'), 'templates/user-data/web/app.sh.hbs': 'app {{port}}' });
    expect(loaded.diagnostics).toEqual([]);
  });
});

describe('user data is rendered per region while loading, so its errors come before anything is written', () => {
  it('a missing variable names it, the template file and line, at the fleet\'s template field', () => {
    const { errors } = load({ [FLEET]: fleetYaml('web.sh.hbs'), 'templates/user-data/web.sh.hbs': '#!/bin/sh\necho {{port}} {{message}}\n' });
    expect(errors).toEqual([`${FLEET}:11:15: launchTemplate.userData.template: templates/user-data/web.sh.hbs:2:17: message is not defined (add message to launchTemplate.userData.vars)`]);
  });

  it('suggests the variable meant', () => {
    const { errors } = load({ [FLEET]: fleetYaml('web.sh.hbs'), 'templates/user-data/web.sh.hbs': '{{prt}}' });
    expect(errors[0]).toMatch(/prt is not defined \(did you mean port\?\)$/);
  });

  it('says in which regions a variable is missing when only some lack it', () => {
    const { errors } = load({
      [FLEET]: fleetYaml('web.sh.hbs', "ports: { us-east-1: '80' }"),
      'templates/user-data/web.sh.hbs': 'listen {{lookup ports region}}',
    });
    expect(errors).toEqual([`${FLEET}:11:15: launchTemplate.userData.template: templates/user-data/web.sh.hbs:1:8: lookup: no "eu-west-1" in the map given (it has: us-east-1) (in eu-west-1)`]);
  });

  it('renders for the regions of every account too: a fleet with only accounts is checked before anything is written', () => {
    const accounts = `[]\naccounts:\n  prod:\n    id: "444455556666"\n    roleArn: arn:aws:iam::444455556666:role/deploy\n    regions: { us-east-1: {}, eu-west-1: {} }`;
    const { errors } = load({
      [FLEET]: fleetYaml('web.sh.hbs', "ports: { us-east-1: '80' }", accounts).replace('regions:\n  []', 'regions: {}'),
      'templates/user-data/web.sh.hbs': 'listen {{lookup ports region}} in {{account}} {{accountId}}',
    });
    expect(errors).toEqual([`${FLEET}:14:15: launchTemplate.userData.template: templates/user-data/web.sh.hbs:1:8: lookup: no "eu-west-1" in the map given (it has: us-east-1) (in eu-west-1 of account prod)`]);
  });

  it('a var that reuses a name amifleet gives is an error at that var', () => {
    const { errors } = load({ [FLEET]: fleetYaml('web.sh.hbs', 'region: mars'), 'templates/user-data/web.sh.hbs': '{{region}}' });
    expect(errors).toEqual([`${FLEET}:13:7: launchTemplate.userData.vars.region: "region" is set by amifleet for every region; give the variable another name`]);
  });

  it('user data over 16 KB is an error giving its size, per region', () => {
    const { errors } = load({
      [FLEET]: fleetYaml('big.sh.hbs', 'pad: x', 'us-east-1: {}\n  eu-west-1: { instanceType: m7i.large }'),
      'templates/user-data/big.sh.hbs': `#!/bin/sh\n# ${'x'.repeat(16362)} {{instanceType}}\n`,
    });
    expect(errors).toEqual([
      `${FLEET}:11:15: launchTemplate.userData.template: templates/user-data/big.sh.hbs: renders to 16385 bytes of user data in eu-west-1; EC2 allows at most 16384 bytes (16 KB) before base64`,
    ]);
  });

  it('a template syntax error is reported with its line', () => {
    const { errors } = load({ [FLEET]: fleetYaml('web.sh.hbs'), 'templates/user-data/web.sh.hbs': 'ok\n{{#if port}}\n' });
    expect(errors[0]).toMatch(/^fleets\/web\.yaml:11:15: launchTemplate\.userData\.template: templates\/user-data\/web\.sh\.hbs:\d+:1: syntax error: /);
  });
});

describe('user data template files', () => {
  it('must be UTF-8 text', () => {
    const dir = workdir({ [FLEET]: fleetYaml('bin.sh.hbs') });
    mkdirSync(join(dir, 'templates', 'user-data'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'user-data', 'bin.sh.hbs'), Buffer.from([0x23, 0x21, 0xff, 0xfe, 0x00]));
    expect(loadFleets([join(dir, FLEET)]).diagnostics[0].message).toMatch(/bin\.sh\.hbs is not UTF-8 text$/);
  });
});

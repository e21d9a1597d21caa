import { formatDiagnostic } from '../loader/diagnostic';
import { loadFleetFile, parseFleetText } from '../loader/load-fleet';
import { loadFleets } from '../loader/load-fleets';
import { VALID_YAML, workdir } from './support/cli';
import { join } from 'node:path';

const messages = (file: string, text: string) => parseFleetText(file, text).diagnostics.map(formatDiagnostic);

describe('loading a fleet file', () => {
  it('applies the contract\'s defaults', () => {
    const { fleet, diagnostics } = parseFleetText('web.yaml', VALID_YAML);
    expect(diagnostics).toEqual([]);
    expect(fleet).toMatchObject({
      layout: 'per-region', tags: {}, state: { backend: 'local' }, copy: { encrypted: true },
      regions: { 'us-east-1': {}, 'eu-west-1': {} },
      launchTemplate: { instanceType: 't3.micro', securityGroupIds: [], metadata: { httpTokens: 'required', hopLimit: 1 } },
    });
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({ fleet: 'web', source: { region: 'us-east-1', ami: 'ami-0123456789abcdef0' },
      regions: { 'us-east-1': {} }, launchTemplate: { instanceType: 't3.micro' } });
    expect(parseFleetText('web.json', json).fleet?.fleet).toBe('web');
  });

  it('accepts a region with no settings at all (`eu-west-1:`)', () => {
    const { fleet } = parseFleetText('web.yaml', VALID_YAML.replace('eu-west-1: {}', 'eu-west-1:'));
    expect(fleet?.regions['eu-west-1']).toEqual({});
  });

  it('gives a YAML syntax error with its line and column, inside the file (at the end of its last line)', () => {
    expect(messages('bad.yaml', 'fleet: web\nsource: [\n')).toEqual([expect.stringMatching(/^bad\.yaml:2:10: /)]);
  });

  it('rejects duplicate keys at the second one', () => {
    expect(messages('dup.yaml', `${VALID_YAML}fleet: api\n`)[0]).toBe('dup.yaml:10:1: duplicate key "fleet": a key may appear once in a map');
  });

  it('rejects an empty file', () => {
    expect(messages('empty.yaml', '  \n')).toEqual(['empty.yaml:1:1: is empty: a fleet needs at least fleet, source, regions and launchTemplate']);
  });

  it('rejects binary junk', () => {
    expect(parseFleetText('junk.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])).diagnostics[0].message).toMatch(/not a text file/);
  });

  it('rejects a top level that is not a map', () => {
    expect(messages('list.yaml', '- a\n- b\n')[0]).toMatch(/list\.yaml:1:1: must be a map/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { diagnostics } = parseFleetText('bomb.yaml', bomb.join('\n'));
    expect(diagnostics[0].message).toMatch(/alias/i);
  });

  it('points a schema error at the field, with its path', () => {
    const text = VALID_YAML.replace('instanceType: t3.micro', 'instanceType: t3.micro\n  metadata:\n    hopLimit: 99');
    expect(messages('web.yaml', text)).toEqual(['web.yaml:11:15: launchTemplate.metadata.hopLimit: must be at most 64']);
  });

  it('points an unknown key at the key and suggests the closest known one', () => {
    const text = VALID_YAML.replace('launchTemplate:', 'launchTemplat:');
    const out = messages('web.yaml', text);
    expect(out).toContain('web.yaml:8:1: launchTemplat: unknown key "launchTemplat" (did you mean launchTemplate?)');
    expect(out).toContain('web.yaml:1:1: missing required field "launchTemplate" at the top level');
  });

  it('asks for account ids to be quoted', () => {
    const text = `${VALID_YAML}copy:\n  shareWith:\n    accounts: [444455556666]\n`;
    expect(messages('web.yaml', text)).toEqual([
      'web.yaml:12:16: copy.shareWith.accounts[0]: an account id must be a quoted string (YAML reads an unquoted number, and drops leading zeros) (write "444455556666")',
    ]);
  });

  it('reports a missing file without throwing', () => {
    expect(loadFleetFile('/nonexistent/web.yaml').diagnostics.map(formatDiagnostic)).toEqual(['/nonexistent/web.yaml:1:1: cannot read: no such file']);
  });
});

describe('loading several fleet files', () => {
  it('reads a directory\'s fleet files in name order and ignores other files', () => {
    const dir = workdir({ 'b.yaml': VALID_YAML.replace('fleet: web', 'fleet: web-b'), 'a.yml': VALID_YAML.replace('fleet: web', 'fleet: web-a'), 'notes.txt': 'x' });
    expect(loadFleets([dir]).fleets.map((f) => f.fleet.fleet)).toEqual(['web-a', 'web-b']);
  });

  it('refuses two files with the same fleet name', () => {
    const dir = workdir({ 'a.yaml': VALID_YAML, 'b.yaml': VALID_YAML });
    const loaded = loadFleets([dir]);
    expect(loaded.failed).toBe(true);
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([`${join(dir, 'b.yaml')}:1:8: fleet: fleet "web" is also defined in ${join(dir, 'a.yaml')}; fleet names must be unique`]);
  });

  it('reports an empty directory', () => {
    expect(loadFleets([workdir()]).diagnostics[0].message).toMatch(/no fleet files/);
  });
});

describe('a fleet\'s user data template is checked beside the fleet\'s other mistakes', () => {
  /** fleets/web.yaml with `launchTemplate` lines (user data at line 10) and templates/user-data/web.sh.hbs. */
  const project = (launchTemplate: string, template = '#!/bin/sh\necho {{port}}\n', source = 'ami: ami-0123456789abcdef0') => {
    const dir = workdir({
      'fleets/web.yaml': `fleet: web\nsource:\n  region: us-east-1\n  ${source}\nregions:\n  us-east-1: {}\nlaunchTemplate:\n${launchTemplate}`,
      'templates/user-data/web.sh.hbs': template,
    });
    return loadFleetFile(join(dir, 'fleets', 'web.yaml')).diagnostics.map((d) => formatDiagnostic(d).split(`${dir}/`).join(''));
  };

  it('a missing template variable and a schema error elsewhere', () => {
    expect(project('  instanceType: t3.micro\n  metadata: { hopLimit: 99 }\n  userData:\n    template: web.sh.hbs\n')).toEqual([
      'fleets/web.yaml:9:25: launchTemplate.metadata.hopLimit: must be at most 64',
      'fleets/web.yaml:11:15: launchTemplate.userData.template: templates/user-data/web.sh.hbs:2:8: port is not defined (add port to launchTemplate.userData.vars)',
    ]);
  });

  it('a missing template variable and a rule error', () => {
    expect(project('  instanceType: t3.micor\n  userData:\n    template: web.sh.hbs\n')).toEqual([
      'fleets/web.yaml:8:17: launchTemplate.instanceType: unknown EC2 instance type "t3.micor" (did you mean t3.micro?)',
      'fleets/web.yaml:10:15: launchTemplate.userData.template: templates/user-data/web.sh.hbs:2:8: port is not defined (add port to launchTemplate.userData.vars)',
    ]);
  });

  it('a reserved var name and a typo under source', () => {
    expect(project('  instanceType: t3.micro\n  userData:\n    template: web.sh.hbs\n    vars: { port: 80, region: eu }\n', undefined, 'amii: ami-0123456789abcdef0')).toEqual([
      'fleets/web.yaml:3:3: source: needs exactly one of ami, lookup or ssmParameter',
      'fleets/web.yaml:4:3: source.amii: unknown key "amii" (did you mean ami?)',
      'fleets/web.yaml:11:23: launchTemplate.userData.vars.region: "region" is set by amifleet for every region; give the variable another name',
    ]);
  });

  it('but not with vars the schema rejected: a variable they may hold is no missing one', () => {
    expect(project('  instanceType: t3.micro\n  userData:\n    template: web.sh.hbs\n    vars: [port]\n')).toEqual([
      'fleets/web.yaml:11:11: launchTemplate.userData.vars: must be a map, not a list',
    ]);
  });
});

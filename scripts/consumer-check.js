#!/usr/bin/env node
'use strict';
// The consumer check: a fresh cdktf app, laid out as `cdktf init --template=typescript --local`
// writes it, installs this repo's packed tarball with the app's own dependency ranges, uses the
// constructs under its own AwsProvider, and must type-check and synthesize with one provider
// block per stack and one copy of cdktf and constructs. It installs ~515 MB into a temporary
// folder and rebuilds dist/ (npm pack runs prepare), so it runs in CI after `npm test` (.ci/run),
// never beside jest's suites: `node scripts/consumer-check.js`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '..');
const CDKTF_CLI = path.dirname(require.resolve('cdktf-cli/package.json', { paths: [REPO] }));
// The template `cdktf init --template=typescript` copies: the files cdktf-cli bundles.
const TEMPLATE = path.join(CDKTF_CLI, 'bundle', 'templates', 'typescript');
const APP_NAME = 'platform-infra';

/**
 * The dependencies the template's post hook (`.hooks.sscaff.js`) installs, with the ranges npm
 * wrote for them in a real `cdktf init --template=typescript --local` on 2026-12-01 (cdktf-cli
 * 0.21.0): `cdktf@^<cli version>`, `constructs@10`, then the dev tools at their latest. Two changes,
 * each what a team does next: `@cdktf/provider-aws` for its AwsProvider (the help's own
 * `npm install @cdktf/provider-aws`), and `typescript ^5.9.3` instead of the `^7.0.2` init
 * wrote: TypeScript 7 has no JavaScript API, so the template's own `npx ts-node main.ts` crashes
 * (`ts.sys` undefined) and ts-jest's peer range is `<7`.
 */
function appDependencies(cdktfVersion) {
  return {
    dependencies: {
      cdktf: `^${cdktfVersion}`,
      constructs: '^10.8.1',
      '@cdktf/provider-aws': '^21.22.1',
    },
    devDependencies: {
      '@types/jest': '^30.0.0',
      '@types/node': '^26.6.11',
      jest: '^30.5.2',
      'ts-jest': '^29.4.15',
      'ts-node': '^10.9.2',
      typescript: '^5.9.3',
    },
  };
}

const PLATFORM_ROLE = 'arn:aws:iam::123456789012:role/platform-deploy';
const PLATFORM_SESSION = 'platform-ci';
const PLATFORM_TAGS = { CostCenter: 'platform', Repository: 'platform-infra' };
const PROD_ROLE = 'arn:aws:iam::444455556666:role/amifleet-deploy';

/** The app a platform team writes: its own stack and provider around amifleet's pieces, and a fleet's stacks on its provider. */
const MAIN_TS = `import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { AwsProvider, AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { addFleetStacks, ImageSource, RegionalFleet, validFleet } from "amifleet";

// The platform's own provider settings, on every provider of the app.
const platform: AwsProviderConfig = {
  region: "us-east-1",
  assumeRole: [{ roleArn: "${PLATFORM_ROLE}", sessionName: "${PLATFORM_SESSION}" }],
  defaultTags: [{ tags: ${JSON.stringify(PLATFORM_TAGS)} }],
};

class PlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", platform);
    const fleet = validFleet({
      fleet: "web",
      source: { region: "us-east-1", ami: "ami-0123456789abcdef0" },
      regions: { "eu-west-1": {} },
      launchTemplate: { instanceType: "t3.micro" },
    });
    const source = new ImageSource(this, "source", fleet.source);
    const web = new RegionalFleet(this, "web-eu-west-1", { fleet, region: "eu-west-1", source });
    // The app's own resource on amifleet's output: where its services find the launch template.
    new SsmParameter(this, "web-launch-template", {
      region: "eu-west-1",
      name: "/platform/web/launch-template-id",
      type: "String",
      value: web.launchTemplate.launchTemplateId,
    });
  }
}

const app = new App();
new PlatformStack(app, "platform");
addFleetStacks(app, {
  fleet: "shop",
  source: { region: "us-east-1", ami: "ami-0aaaaaaaaaaaaaaaa" },
  regions: { "us-east-1": {} },
  accounts: {
    prod: { id: "444455556666", roleArn: "${PROD_ROLE}", regions: { "us-east-1": {} } },
  },
  launchTemplate: { instanceType: "t3.small" },
}, {
  // amifleet's settings (region, an account's assumeRole, the credentials alias) over the platform's.
  provider: (scope, id, settings) => new AwsProvider(scope, id, { ...platform, ...settings }),
});
app.synth();
`;

const failures = [];
const figures = {};

function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || detail === undefined ? '' : `\n     ${detail}`}`);
  if (!ok) failures.push(what);
}

/** Runs a command, timing it; a failure to start or a non-zero exit is returned, not thrown. */
function run(what, command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  figures[what] = `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { ok: result.status === 0, output };
}

function step(what, command, args, cwd) {
  const result = run(what, command, args, cwd);
  check(`${what} (${figures[what]})`, result.ok, result.output.trim().split('\n').slice(-40).join('\n     '));
  return result;
}

function diskMiB(dir) {
  const du = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return du.status === 0 ? `${Math.round(Number(du.stdout.split('\t')[0]) / 1024)} MiB` : 'unknown';
}

/** The template's files as `cdktf init` renders them (sscaff: `{{}}` drops from names, `{{ $base }}` is the folder name). */
function writeTemplate(app) {
  const cdktfVersion = require(path.join(CDKTF_CLI, 'package.json')).version;
  const values = {
    $base: APP_NAME, projectId: '00000000-0000-4000-8000-000000000000', sendCrashReports: 'false', futureFlags: '',
  };
  const copy = (from, to) => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      // The hook installs dependencies (below, as ranges) and prints the help; neither is part of the app.
      if (from === TEMPLATE && (entry.name === '.hooks.sscaff.js' || entry.name === 'help')) continue;
      const target = path.join(to, entry.name.replace('{{}}', ''));
      if (entry.isDirectory()) {
        fs.mkdirSync(target);
        copy(path.join(from, entry.name), target);
      } else {
        const text = fs.readFileSync(path.join(from, entry.name), 'utf8')
          .replace(/\{\{\s*(\$?\w+)\s*\}\}/g, (whole, key) => (key in values ? values[key] : whole));
        fs.writeFileSync(target, text);
      }
    }
  };
  copy(TEMPLATE, app);
  const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ ...pkg, ...appDependencies(cdktfVersion) }, null, 2)}\n`);
  fs.writeFileSync(path.join(app, 'main.ts'), MAIN_TS);
}

/** Every installed copy of a package under the app's node_modules (hoisted or nested). */
function installedCopies(app, name) {
  const copies = [];
  const visit = (modules) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((e) => `${entry}/${e}`) : [entry];
      for (const pkgName of scoped) {
        const dir = path.join(modules, pkgName);
        if (pkgName === name) copies.push(`${path.relative(app, dir)}@${require(path.join(dir, 'package.json')).version}`);
        visit(path.join(dir, 'node_modules'));
      }
    }
  };
  visit(path.join(app, 'node_modules'));
  return copies;
}

function checkStacks(app) {
  const out = path.join(app, 'cdktf.out');
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  const stacks = Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [
    name, JSON.parse(fs.readFileSync(path.join(out, s.synthesizedStackPath), 'utf8')),
  ]));
  check('the app synthesizes its own stack and the fleet\'s stacks',
    JSON.stringify(Object.keys(stacks).sort()) === JSON.stringify(['platform', 'shop-prod-us-east-1', 'shop-share', 'shop-us-east-1']),
    `stacks: ${Object.keys(stacks).sort().join(', ')}`);
  const platformRole = [{ role_arn: PLATFORM_ROLE, session_name: PLATFORM_SESSION }];
  const platformTags = [{ tags: PLATFORM_TAGS }];
  // Per stack: the providers it must hold, by alias ('' none), each with the assume_role it must have.
  const expected = {
    platform: { '': platformRole },
    'shop-us-east-1': { '': platformRole },
    'shop-share': { '': platformRole },
    'shop-prod-us-east-1': { '': [{ role_arn: PROD_ROLE, session_name: 'amifleet-shop' }], credentials: platformRole },
  };
  for (const [name, stack] of Object.entries(stacks)) {
    const providers = stack.provider?.aws ?? [];
    const aliases = providers.map((p) => p.alias ?? '').sort();
    const want = expected[name] ?? {};
    check(`${name}: its aws providers are ${Object.keys(want).map((a) => a || 'one without alias').join(' and ')}`,
      JSON.stringify(aliases) === JSON.stringify(Object.keys(want).sort()), `aliases: ${JSON.stringify(aliases)}`);
    for (const provider of providers) {
      const alias = provider.alias ?? '';
      const label = `${name}: provider aws${alias ? ` (alias ${alias})` : ''}`;
      check(`${label} has the app's default_tags`, JSON.stringify(provider.default_tags) === JSON.stringify(platformTags),
        `default_tags: ${JSON.stringify(provider.default_tags)}`);
      check(`${label} assumes ${JSON.stringify(want[alias]?.[0]?.role_arn)}`, JSON.stringify(provider.assume_role) === JSON.stringify(want[alias]),
        `assume_role: ${JSON.stringify(provider.assume_role)}`);
    }
  }
  const platform = stacks.platform;
  if (!platform) return;
  const templates = Object.keys(platform.resource?.aws_launch_template ?? {});
  const parameter = platform.resource?.aws_ssm_parameter?.['web-launch-template'];
  check('platform: the app\'s aws_ssm_parameter holds amifleet\'s launch template id',
    templates.length === 1 && parameter?.value === `\${aws_launch_template.${templates[0]}.id}`,
    `launch templates: ${JSON.stringify(templates)}; parameter value: ${JSON.stringify(parameter?.value)}`);
  const images = Object.values(platform.data?.aws_ami ?? {});
  check('platform: the source image is guarded in the app\'s own stack (ImageSource\'s source-image guard)',
    images.some((i) => (i.lifecycle?.postcondition ?? []).some((c) => /source image is not available/.test(c.error_message))),
    `aws_ami postconditions: ${JSON.stringify(images.map((i) => i.lifecycle?.postcondition ?? []))}`);
}

function main() {
  const start = process.hrtime.bigint();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'amifleet-consumer-'));
  const app = path.join(work, APP_NAME);
  const packDir = path.join(work, 'pack');
  fs.mkdirSync(app);
  fs.mkdirSync(packDir);
  console.log(`consumer app in ${app} (template: ${path.relative(REPO, TEMPLATE)})`);
  // npm pack runs prepare, so the tarball holds what this checkout builds.
  if (!step('npm pack', 'npm', ['pack', '--pack-destination', packDir], REPO).ok) return finish(work, start);
  const tarball = path.join(packDir, fs.readdirSync(packDir).find((f) => f.endsWith('.tgz')));
  figures['tarball'] = `${path.basename(tarball)}, ${(fs.statSync(tarball).size / 1024 / 1024).toFixed(1)} MiB`;
  writeTemplate(app);
  if (!step('npm install <tarball>', 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app).ok) return finish(work, start);
  figures['app node_modules'] = diskMiB(path.join(app, 'node_modules'));
  for (const name of ['cdktf', 'constructs', '@cdktf/provider-aws']) {
    const copies = installedCopies(app, name);
    check(`the app has one copy of ${name}`, copies.length === 1, `copies: ${copies.join(', ')}`);
  }
  const ls = run('npm ls', 'npm', ['ls', 'cdktf', 'constructs', '@cdktf/provider-aws', '--all'], app);
  check('npm ls cdktf constructs @cdktf/provider-aws: a valid tree (no invalid or missing peers)', ls.ok, ls.output.trim().split('\n').join('\n     '));
  step('tsc --noEmit in the app', path.join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit'], app);
  if (step('cdktf synth in the app', path.join(REPO, 'node_modules', '.bin', 'cdktf'), ['synth'], app).ok) checkStacks(app);
  figures['app folder'] = diskMiB(app);
  return finish(work, start);
}

function finish(work, start) {
  figures['whole check'] = `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`;
  console.log(Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
  if (failures.length > 0) {
    console.error(`consumer check: ${failures.length} failed; the app is kept in ${work}`);
    process.exitCode = 1;
  } else {
    fs.rmSync(work, { recursive: true, force: true });
    console.log('consumer check: passed');
  }
}

main();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ROOT } from './support/cli';

// The README's TypeScript examples compile in an app `cdktf init --template=typescript` makes:
// its compiler options (read from cdktf-cli's own template, so they follow cdktf-cli), with
// `amifleet` mapped to this package's sources. One program for every block: no npm install.

const SECTION = '## Using the constructs from TypeScript';
const TEMPLATE_TSCONFIG = join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'templates', 'typescript', 'tsconfig.json');

/** The ```ts blocks of the README's section on the constructs, with the line each starts on. */
function sectionBlocks(): { line: number; code: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  const next = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, next === -1 ? undefined : next);
  const offsetLine = readme.slice(0, start).split('\n').length;
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => ({
    line: offsetLine + section.slice(0, m.index).split('\n').length, code: m[1],
  }));
}

/** Each file's diagnostics, as `file:line:col: TSnnnn message`, under the template's options. */
function compile(files: Record<string, string>): Record<string, string[]> {
  const template = ts.readConfigFile(TEMPLATE_TSCONFIG, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(template.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    // Type-checking only: nothing written, no build info.
    noEmit: true, incremental: false, declaration: false, inlineSourceMap: false, inlineSources: false,
    baseUrl: ROOT, paths: { amifleet: ['modules/index.ts'] },
  };
  const paths = Object.fromEntries(Object.keys(files).map((name) => [join(ROOT, name), name]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => f in paths || ts.sys.fileExists(f);
  host.readFile = (f) => (f in paths ? files[paths[f]] : readFile(f));
  host.getSourceFile = (f, lang, onError) => (f in paths ? ts.createSourceFile(f, files[paths[f]], lang) : getSourceFile(f, lang, onError));
  const program = ts.createProgram(Object.keys(paths), options, host);
  const global = program.getOptionsDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (global.length > 0) throw new Error(`compiler options: ${global.join('; ')}`);
  return Object.fromEntries(Object.entries(paths).map(([path, name]) => {
    const file = program.getSourceFile(path)!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return [name, diagnostics.map((d) => {
      const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${name}:${line + 1}:${character + 1}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    })];
  }));
}

describe('README "Using the constructs from TypeScript"', () => {
  const blocks = sectionBlocks();
  let diagnostics: Record<string, string[]>;
  beforeAll(() => {
    diagnostics = compile({
      ...Object.fromEntries(blocks.map((b) => [`readme-line-${b.line}.ts`, b.code])),
      // A control: the template's options are in force when an unused local fails.
      'unused-local-control.ts': "import { App } from 'cdktf';\nconst unused = new App();\nexport {};\n",
    });
  });

  it('has the examples: addFleetStacks, with the app\'s provider and backend, and the pieces in an app\'s own stack', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.some((b) => b.code.includes('provider: (scope, id, settings)') && b.code.includes('backend: false'))).toBe(true);
    expect(blocks.some((b) => b.code.includes('new TerraformStack(') && b.code.includes('new RegionalFleet('))).toBe(true);
  });

  it('type-checks every ts block with the template\'s compiler options (strict, noUnusedLocals, ...)', () => {
    for (const b of blocks) expect(diagnostics[`readme-line-${b.line}.ts`]).toEqual([]);
  });

  it('would report an unused local, as a cdktf app\'s tsc does', () => {
    expect(diagnostics['unused-local-control.ts']).toEqual([expect.stringMatching(/^unused-local-control\.ts:2:7: TS6133 /)]);
  });
});

import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { addFleetStacks } from '../modules/constructs/fleet-app';
import { formatDiagnostic } from '../loader/diagnostic';
import { parseFleetText } from '../loader/load-fleet';
import { formatPath } from '../modules/fleet/fleet-validation-error';
import { validateFleet, validationErrors } from '../modules/fleet/fleet-validation';
import { amifleet, workdir } from './support/cli';
import { independentMistakes, mutatedFleetText, validFleet, withMistakes, type Json } from './support/mutated-fleets';

// Run counts are fixed so the suite's time is too; a failure prints its seed to replay it.
const IN_PROCESS_RUNS = 300;
const SYNTH_RUNS = 25;
const CLI_RUNS = 3;
const FILES_PER_CLI_RUN = 15;

describe('property: valid fleets', () => {
  it('validate without errors (best-practice warnings allowed) and synthesize, every region with its copy and launch template', () => {
    fc.assert(fc.property(validFleet, (fleet) => {
      const loaded = parseFleetText('fleet.yaml', JSON.stringify(fleet));
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
      const app = Testing.app({ stackTraces: false });
      const stacks = addFleetStacks(app, fleet);
      const regions = stacks.flatMap((s) => Object.values(JSON.parse(Testing.synth(s)).resource.aws_ami_copy) as { region: string }[])
        .map((c) => c.region).sort();
      expect(regions).toEqual(Object.keys(fleet.regions ?? {}).sort());
    }), { numRuns: SYNTH_RUNS });
  });
});

/** A fleet's errors as the CLI prints them, without positions (mistakes move lines). */
function cliErrors(fleet: Json): string[] {
  return parseFleetText('fleet.yaml', JSON.stringify(fleet, null, 2)).diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.path}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}`).sort();
}

describe('property: independent mistakes in distinct fields (a misspelt region or type, a wrong value, a left-out field, an unknown key)', () => {
  it('are each reported, together as alone, and nothing else is: the errors of all are the union of each one\'s', () => {
    fc.assert(fc.property(independentMistakes, ({ fleet, mistakes }) => {
      fc.pre(mistakes.length >= 2);
      const alone = mistakes.map((m) => cliErrors(withMistakes(fleet, [m])));
      for (const errors of alone) expect(errors.length).toBeGreaterThan(0);
      const together = cliErrors(withMistakes(fleet, mistakes));
      for (const errors of alone) expect(together).toEqual(expect.arrayContaining(errors));
      expect(together).toEqual([...new Set(alone.flat())].sort());
    }), { numRuns: IN_PROCESS_RUNS });
  });

  it('come out of FleetValidationError as the CLI prints them', () => {
    fc.assert(fc.property(independentMistakes, ({ fleet, mistakes }) => {
      const value = withMistakes(fleet, mistakes);
      const errors = validationErrors(validateFleet(value))
        .map((i) => `${formatPath(i.path)}: ${i.message}${i.suggestion ? ` (${i.suggestion})` : ''}`).sort();
      expect(errors).toEqual(cliErrors(value));
    }), { numRuns: IN_PROCESS_RUNS });
  });
});

describe('property: mutated fleets (a key deleted, a type changed, an unknown key, a garbled string, scalars swapped)', () => {
  it('either validate, or fail with positioned errors; never throw', () => {
    fc.assert(fc.property(mutatedFleetText, ({ text, json }) => {
      const file = json ? 'fleet.json' : 'fleet.yaml';
      const loaded = parseFleetText(file, text);
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      const lines = text.split('\n').length;
      expect(loaded.fleet === undefined).toBe(errors.length > 0);
      for (const d of loaded.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.line).toBeLessThanOrEqual(lines + 1);
        expect(d.col).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(0);
        expect(formatDiagnostic(d)).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: \\S`));
      }
    }), { numRuns: IN_PROCESS_RUNS });
  });

  it('that still validate also synthesize without throwing', () => {
    fc.assert(fc.property(mutatedFleetText, ({ text }) => {
      const loaded = parseFleetText('fleet.yaml', text);
      fc.pre(loaded.fleet !== undefined);
      const app = Testing.app({ stackTraces: false });
      for (const stack of addFleetStacks(app, loaded.fleet!)) expect(JSON.parse(Testing.synth(stack)).resource.aws_launch_template).toBeDefined();
    }), { numRuns: SYNTH_RUNS });
  });

  it('make the CLI exit 1 with file:line:col errors and no stack trace whenever one is invalid', () => {
    fc.assert(fc.property(fc.array(mutatedFleetText, { minLength: FILES_PER_CLI_RUN, maxLength: FILES_PER_CLI_RUN }), (texts) => {
      const dir = workdir();
      const files = texts.map(({ text, json }, i) => {
        const file = join(dir, `fleet-${String(i).padStart(2, '0')}.${json ? 'json' : 'yaml'}`);
        writeFileSync(file, text);
        return file;
      });
      const invalid = files.filter((f, i) => parseFleetText(f, texts[i].text).fleet === undefined);
      const r = amifleet(['validate', dir]);
      expect(r.stderr).not.toMatch(/^\s+at |internal error/m);
      if (invalid.length > 0) expect(r.code).toBe(1);
      if (r.code === 0) expect(invalid).toEqual([]);
      for (const line of r.stderr.trimEnd().split('\n').filter((l) => l !== '' && !l.startsWith('amifleet: '))) {
        expect(files.some((f) => line.startsWith(`${f}:`))).toBe(true);
        expect(line).toMatch(/^\S+:\d+:\d+: \S/);
      }
      for (const f of invalid) expect(r.stderr).toContain(`${f}:`);
    }), { numRuns: CLI_RUNS });
  });
});

import type { Fleet } from '../modules/fleet/fleet-spec';
import { TemplateError } from '../modules/rendering/strict-templates';
import { EXAMPLE_IMAGE_ID, renderUserData, userDataValues, type UserDataTemplate } from '../modules/rendering/user-data';
import type { FieldProblem } from '../modules/fleet/schema-problems';
import { didYouMean } from '../modules/fleet/closest-name';
import { fleetAccountViews } from '../modules/fleet/fleet-accounts';
import { displayPath, projectTemplatesDir, readTemplateFile } from './template-files';

const TEMPLATE_FIELD = ['launchTemplate', 'userData', 'template'];

export interface LoadedUserDataTemplate {
  /** The template to hand to the constructs; undefined when the fleet has none or it has problems. */
  readonly template?: UserDataTemplate;
  readonly problems: FieldProblem[];
}

/**
 * Reads a fleet's user data template (templates/user-data/ of the fleet's project, else amifleet's)
 * and renders it for every region as the constructs will, with an image id of real length, so a
 * missing variable or oversized user data is reported before anything is written.
 */
export function loadUserDataTemplate(fleetFile: string, fleet: Fleet): LoadedUserDataTemplate {
  const name = fleet.launchTemplate.userData?.template;
  if (name === undefined) return { problems: [] };
  const found = readTemplateFile('user-data', name, projectTemplatesDir(fleetFile));
  if ('problem' in found) {
    return { problems: [{ path: TEMPLATE_FIELD, atKey: false, message: found.problem, suggestion: found.suggestion }] };
  }
  const template = { name: displayPath(found.file), source: found.source };
  // Every region of every account, as its stack renders it (an account's regions see account and accountId).
  const placements = fleetAccountViews(fleet).flatMap((view) => Object.keys(view.fleet.regions).sort().map((region) => ({
    view, region, label: view.account === undefined ? region : `${region} of account ${view.account}`,
  })));
  const regions = placements.map((p) => p.label);
  const failures = new Map<string, { error: TemplateError; regions: string[] }>();
  for (const { view, region, label } of placements) {
    try {
      const account = view.account === undefined ? undefined : { name: view.account, id: view.settings!.id };
      renderUserData(template, userDataValues(view.fleet, region, EXAMPLE_IMAGE_ID, account));
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      const seen = failures.get(e.message) ?? { error: e, regions: [] };
      seen.regions.push(label);
      failures.set(e.message, seen);
    }
  }
  const problems = [...failures.values()].map(({ error, regions: failing }) =>
    templateProblem(error, failing.length < regions.length && error.problem.kind !== 'too-large' ? failing : []));
  return problems.length > 0 ? { problems } : { template, problems };
}

function templateProblem(error: TemplateError, onlyIn: string[]): FieldProblem {
  const where = onlyIn.length > 0 ? ` (in ${onlyIn.join(', ')})` : '';
  const problem = error.problem;
  switch (problem.kind) {
    case 'value':
      return { path: ['launchTemplate', 'userData', ...problem.field], atKey: true, message: problem.what };
    case 'missing': {
      const bare = /^[A-Za-z_][\w-]*$/.test(problem.variable);
      return {
        path: TEMPLATE_FIELD, atKey: false, message: `${error.message}${where}`,
        suggestion: didYouMean(problem.key, problem.available)
          ?? (bare ? `add ${problem.variable} to launchTemplate.userData.vars` : undefined),
      };
    }
    case 'unknown-helper':
      return { path: TEMPLATE_FIELD, atKey: false, message: `${error.message}${where}`, suggestion: didYouMean(problem.helper, problem.available) };
    default:
      return { path: TEMPLATE_FIELD, atKey: false, message: `${error.message}${where}` };
  }
}

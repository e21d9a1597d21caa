// The cdktf app behind `npx cdktf synth` (cdktf.json): every fleet file under fleets/.
import { App } from 'cdktf';
import { formatDiagnostic } from './loader/diagnostic';
import { loadFleets } from './loader/load-fleets';
import { addFleets } from './cli/synthesis/synthesize';

const loaded = loadFleets([process.env.AMIFLEET_FLEETS ?? 'fleets']);
for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
if (loaded.failed) {
  process.exit(1);
}
// Fleets are validated above; cdktf's own checks would run `terraform version` per cloud-backend stack.
const app = new App({ stackTraces: false, skipValidation: true });
addFleets(app, loaded.fleets);
app.synth();

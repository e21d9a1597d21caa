import { TerraformStack, LocalBackend, S3Backend, CloudBackend, NamedCloudWorkspace } from 'cdktf';
import type { StateSettings } from '../fleet/fleet-spec';
import { localStatePath, localWorkspaceDir } from '../fleet/fleet-names';
import { requireTerraform } from '../rendering/terraform-version';

/** Configures where a stack keeps its state: one state (file, key or workspace) per stack. */
export function configureStateBackend(stack: TerraformStack, stackName: string, state: StateSettings): void {
  switch (state.backend) {
    case 'local':
      new LocalBackend(stack, {
        path: localStatePath(stackName),
        // Other workspaces' state too, which Terraform otherwise puts in terraform.tfstate.d/ of the stack directory.
        workspaceDir: localWorkspaceDir(stackName),
      });
      return;
    case 's3': {
      const prefix = (state.keyPrefix ?? '').replace(/^\/+|\/+$/g, '');
      new S3Backend(stack, {
        bucket: state.bucket,
        region: state.region,
        key: prefix ? `${prefix}/${stackName}.tfstate` : `${stackName}.tfstate`,
        encrypt: true,
      });
      // cdktf 0.21 predates S3 native locking (Terraform 1.10+), so the flag goes in as an override.
      if (state.lockfile) {
        stack.addOverride('terraform.backend.s3.use_lockfile', true);
        requireTerraform(stack, 'S3 native state locking (use_lockfile)');
      }
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        organization: state.organization,
        hostname: state.hostname,
        workspaces: new NamedCloudWorkspace(`${state.workspacePrefix}${stackName}`, state.project),
      });
      requireTerraform(stack, 'cloud block');
      if (state.project !== undefined) requireTerraform(stack, 'cloud workspaces project');
      return;
  }
}

// The stock baseline: what a team writes without amifleet, the way `cdktf init --template=typescript`
// sets it up (ts-node, provider imported from its package root, one stack per fleet and region).
// It reads the benchmark's fleets from STOCK_FLEETS (a JSON array in fleet-file shape).
import { Construct } from "constructs";
import { App, CloudBackend, Fn, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformIterator, TerraformLocal, TerraformOutput, TerraformStack, Token } from "cdktf";
import {
  amiCopy, dataAwsAmi, dataAwsEc2InstanceTypeOfferings, dataAwsEc2InstanceTypes, dataAwsKmsKey, dataAwsSsmParameter, ec2Tag, launchTemplate, provider,
} from "@cdktf/provider-aws";
import { readFileSync } from "fs";

interface RegionConfig {
  kmsKeyId?: string;
  instanceType?: string;
  securityGroupIds?: string[];
  tags?: Record<string, string>;
}

interface FleetConfig {
  fleet: string;
  description?: string;
  tags?: Record<string, string>;
  source: {
    region: string;
    ami?: string;
    lookup?: { owners: string[]; name?: string; architecture?: string; filters?: Record<string, string[]> };
    ssmParameter?: string;
  };
  regions: Record<string, RegionConfig>;
  copy?: { encrypted?: boolean; deprecateAfterDays?: number; timeoutMinutes?: number };
  launchTemplate: {
    instanceType: string;
    keyName?: string;
    iamInstanceProfile?: string;
    securityGroupIds?: string[];
    metadata?: { httpTokens?: string; hopLimit?: number };
    rootVolume?: { sizeGiB?: number; type?: string };
  };
  state?: { backend: string; bucket?: string; region?: string; keyPrefix?: string; organization?: string; workspacePrefix?: string };
}

class FleetRegionStack extends TerraformStack {
  constructor(scope: Construct, id: string, fleet: FleetConfig, region: string) {
    super(scope, id);
    new provider.AwsProvider(this, "aws", { region });

    const state = fleet.state ?? { backend: "local" };
    if (state.backend === "s3") {
      new S3Backend(this, { bucket: state.bucket!, region: state.region!, key: `${state.keyPrefix}/${id}.tfstate`, encrypt: true });
    } else if (state.backend === "cloud") {
      new CloudBackend(this, { organization: state.organization!, workspaces: new NamedCloudWorkspace(`${state.workspacePrefix}${id}`) });
    } else {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    }

    let sourceImageId: string;
    let image: dataAwsAmi.DataAwsAmi;
    if (fleet.source.lookup) {
      const lookup = fleet.source.lookup;
      const filters = [{ name: "state", values: ["available"] }];
      if (lookup.name) filters.push({ name: "name", values: [lookup.name] });
      if (lookup.architecture) filters.push({ name: "architecture", values: [lookup.architecture] });
      for (const [name, values] of Object.entries(lookup.filters ?? {})) filters.push({ name, values });
      image = new dataAwsAmi.DataAwsAmi(this, "source", {
        region: fleet.source.region, owners: lookup.owners, mostRecent: true, filter: filters,
      });
      sourceImageId = image.id;
    } else {
      if (fleet.source.ami) {
        sourceImageId = fleet.source.ami;
      } else {
        const parameter = new dataAwsSsmParameter.DataAwsSsmParameter(this, "parameter", {
          region: fleet.source.region, name: fleet.source.ssmParameter!,
        });
        sourceImageId = parameter.insecureValue;
      }
      // Read the image too: its architecture and snapshot devices are needed at plan.
      image = new dataAwsAmi.DataAwsAmi(this, "source", {
        region: fleet.source.region, includeDeprecated: true, filter: [{ name: "image-id", values: [sourceImageId] }],
      });
    }

    const settings = fleet.regions[region] ?? {};
    const tags = { ...fleet.tags, ...settings.tags, Fleet: fleet.fleet, ManagedBy: "cdktf" };
    const copy = new amiCopy.AmiCopy(this, "copy", {
      region,
      name: `${fleet.fleet}-${sourceImageId}`,
      sourceAmiId: sourceImageId,
      sourceAmiRegion: fleet.source.region,
      encrypted: fleet.copy?.encrypted ?? true,
      kmsKeyId: settings.kmsKeyId,
      deprecationTime: fleet.copy?.deprecateAfterDays
        ? Fn.timeadd(Fn.plantimestamp(), `${fleet.copy.deprecateAfterDays * 24}h`) : undefined,
      tags,
      timeouts: fleet.copy?.timeoutMinutes
        ? { create: `${fleet.copy.timeoutMinutes}m`, delete: `${fleet.copy.timeoutMinutes}m` } : undefined,
      lifecycle: { createBeforeDestroy: true, ignoreChanges: fleet.copy?.deprecateAfterDays ? ["deprecation_time"] : undefined },
    });

    // The snapshots of the copy get the tags too, one aws_ec2_tag per device and tag.
    const tagLocal = new TerraformLocal(this, "snapshot_tags", tags);
    const devices = TerraformIterator.fromList(image.blockDeviceMappings).forExpressionForList('val.device_name if try(val.ebs.snapshot_id, "") != ""');
    const pairs = TerraformIterator.fromList(Fn.setproduct([devices, Fn.keys(tagLocal.asStringMap)]));
    const each = TerraformIterator.fromMap(pairs.forExpressionForMap('"${val[0]}|${val[1]}"', "{ device = val[0], key = val[1] }"));
    new ec2Tag.Ec2Tag(this, "snapshot_tag", {
      forEach: each,
      region,
      resourceId: Fn.one(TerraformIterator.fromList(copy.ebsBlockDevice).forExpressionForList("val.snapshot_id if val.device_name == each.value.device")),
      key: each.getString("key"),
      value: Token.asString(Fn.lookup(tagLocal.asStringMap, each.getString("key"))),
      lifecycle: { createBeforeDestroy: true },
    });

    // Checks a careful team adds so that a plan fails early: instance type offered and fitting the image, key enabled.
    const lt = fleet.launchTemplate;
    const instanceType = settings.instanceType ?? lt.instanceType;
    const offerings = new dataAwsEc2InstanceTypeOfferings.DataAwsEc2InstanceTypeOfferings(this, "offerings", {
      region, locationType: "region", filter: [{ name: "instance-type", values: [instanceType] }],
    });
    const fitting = new dataAwsEc2InstanceTypes.DataAwsEc2InstanceTypes(this, "fitting", {
      region,
      filter: [{ name: "instance-type", values: [instanceType] }, { name: "processor-info.supported-architecture", values: [image.architecture] }],
    });
    if (settings.kmsKeyId) {
      const key = new dataAwsKmsKey.DataAwsKmsKey(this, "key", { region, keyId: settings.kmsKeyId });
      copy.lifecycle = { ...copy.lifecycle, precondition: [{ condition: key.enabled, errorMessage: "the KMS key is not enabled" }] };
    }
    const profile = lt.iamInstanceProfile;
    const securityGroupIds = settings.securityGroupIds ?? lt.securityGroupIds ?? [];
    const template = new launchTemplate.LaunchTemplate(this, "template", {
      region,
      name: fleet.fleet,
      description: fleet.description,
      imageId: copy.id,
      instanceType,
      keyName: lt.keyName,
      iamInstanceProfile: profile ? (profile.startsWith("arn:") ? { arn: profile } : { name: profile }) : undefined,
      vpcSecurityGroupIds: securityGroupIds.length > 0 ? securityGroupIds : undefined,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: lt.metadata?.httpTokens ?? "required",
        httpPutResponseHopLimit: lt.metadata?.hopLimit ?? 1,
      },
      blockDeviceMappings: [{
        deviceName: copy.rootDeviceName,
        ebs: {
          encrypted: "true",
          deleteOnTermination: "true",
          volumeSize: lt.rootVolume?.sizeGiB,
          volumeType: lt.rootVolume?.type,
          kmsKeyId: settings.kmsKeyId,
        },
      }],
      tags,
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags })),
      updateDefaultVersion: true,
      lifecycle: {
        precondition: [
          { condition: Fn.contains(offerings.instanceTypes, instanceType), errorMessage: "the instance type is not offered here" },
          { condition: Fn.contains(fitting.instanceTypes, instanceType), errorMessage: "the instance type cannot run the image" },
        ],
      },
    });

    new TerraformOutput(this, "image_id", { value: copy.id });
    new TerraformOutput(this, "launch_template_id", { value: template.id });
    new TerraformOutput(this, "launch_template_latest_version", { value: template.latestVersion });
  }
}

const fleets: FleetConfig[] = JSON.parse(readFileSync(process.env.STOCK_FLEETS ?? "fleets.json", "utf8"));
const app = new App();
for (const fleet of fleets) {
  for (const region of Object.keys(fleet.regions)) {
    new FleetRegionStack(app, `${fleet.fleet}-${region}`, fleet, region);
  }
}
app.synth();

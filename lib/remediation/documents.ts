/**
 * The SSM Automation documents (schemaVersion 0.3) behind the Config remediations, one per control
 * whose setting can be changed in place, with the grants each needs: the automation role gets
 * exactly these.
 *
 * Each document takes the `ResourceId` AWS Config passes (`RESOURCE_ID`) and the role to run as. A
 * Python step reads the name from it whether it is a name or an ARN (Config's resource id format is
 * not documented for every ECS type; a service's is its ARN, which also names its cluster), checks
 * the setting, and changes it only when it is wrong, so a repeated run does nothing.
 * aws:executeScript: https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html
 *
 * Not remediated, by design:
 * - task definition controls: a fix is a new revision, which only takes effect when services are
 *   redeployed onto it, and which needs a person's judgement (writable paths, users, secrets): see
 *   `ecs-config-rules fix` and docs/fix.md;
 * - ECS.16 (task sets): UpdateTaskSet changes only `scale`
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateTaskSet.html); a task set's
 *   network configuration is changed by its deployment controller creating a new one;
 * - ECS.10, tag controls: a platform version or a tag value is the owner's choice.
 */

export interface AutomationStep {
  readonly name: string;
  readonly action: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs?: readonly { readonly Name: string; readonly Selector: string; readonly Type: string }[];
}

export interface AutomationDocument {
  readonly schemaVersion: '0.3';
  readonly description: string;
  readonly assumeRole: string;
  readonly parameters: Readonly<Record<string, { readonly type: string; readonly description: string; readonly allowedPattern?: string }>>;
  readonly mainSteps: readonly AutomationStep[];
  readonly outputs?: readonly string[];
}

/**
 * One statement of the automation role's policy. Resource-level ARNs and condition keys as the
 * Service Authorization Reference lists them for ECS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
 */
export interface RemediationGrant {
  /** IAM actions, each one an ECS call the script makes (boto3's `describe_clusters` is `ecs:DescribeClusters`). */
  readonly actions: readonly string[];
  /** The ARN pattern after `arn:<partition>:ecs:<region>:<account>:` (for example `cluster/*`). */
  readonly resource: string;
  /** Conditions holding the request to the change the document makes, where ECS offers a key for it. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Remediation {
  readonly controlId: string;
  /** What the document changes, for docs and the document's description. */
  readonly summary: string;
  /** The automation role's policy: exactly the calls the script makes, reads and the one change apart. */
  readonly grants: readonly RemediationGrant[];
  readonly document: AutomationDocument;
}

/** Python runtime of the script steps (the newest aws:executeScript supports). */
export const SCRIPT_RUNTIME = 'python3.11';

const PARAMETERS = {
  ResourceId: { type: 'String', description: 'The resource id AWS Config passes (RESOURCE_ID): the name or the ARN.', allowedPattern: '^[A-Za-z0-9:/_.-]{1,1600}$' },
  AutomationAssumeRole: { type: 'String', description: 'The role the automation runs as.', allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$' },
};

function document(description: string, script: string): AutomationDocument {
  return {
    schemaVersion: '0.3',
    description,
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: PARAMETERS,
    mainSteps: [
      {
        name: 'Remediate',
        action: 'aws:executeScript',
        inputs: { Runtime: SCRIPT_RUNTIME, Handler: 'handler', InputPayload: { ResourceId: '{{ ResourceId }}' }, Script: script },
        outputs: [{ Name: 'Result', Selector: '$.Payload.result', Type: 'String' }],
      },
    ],
    outputs: ['Remediate.Result'],
  };
}

const CONTAINER_INSIGHTS = `import boto3

def handler(events, context):
    # A name or an ARN (arn:aws:ecs:region:account:cluster/NAME): the name is after the last '/'.
    cluster = events["ResourceId"].split("/")[-1]
    ecs = boto3.client("ecs")
    described = ecs.describe_clusters(clusters=[cluster], include=["SETTINGS"])
    if not described["clusters"]:
        raise Exception("cluster %s not found: %s" % (cluster, described.get("failures")))
    settings = {s["name"]: s.get("value") for s in described["clusters"][0].get("settings", [])}
    if settings.get("containerInsights") in ("enabled", "enhanced"):
        return {"result": "cluster %s already has Container Insights %s" % (cluster, settings["containerInsights"])}
    ecs.update_cluster_settings(cluster=cluster, settings=[{"name": "containerInsights", "value": "enabled"}])
    return {"result": "cluster %s: Container Insights enabled" % cluster}
`;

const TERMINATION_PROTECTION = `import boto3

def handler(events, context):
    # A name or an ARN (arn:aws:ecs:region:account:capacity-provider/NAME).
    name = events["ResourceId"].split("/")[-1]
    ecs = boto3.client("ecs")
    described = ecs.describe_capacity_providers(capacityProviders=[name])
    if not described["capacityProviders"]:
        raise Exception("capacity provider %s not found: %s" % (name, described.get("failures")))
    provider = described["capacityProviders"][0].get("autoScalingGroupProvider")
    if provider is None:
        return {"result": "capacity provider %s has no Auto Scaling group (Fargate): nothing to change" % name}
    if provider.get("managedTerminationProtection") == "ENABLED":
        return {"result": "capacity provider %s already has managed termination protection" % name}
    # ECS refuses this unless managed scaling is on and the group protects new instances from scale-in:
    # that is the group owner's decision, so the run fails with ECS's reason rather than changing the group.
    ecs.update_capacity_provider(name=name, autoScalingGroupProvider={"managedTerminationProtection": "ENABLED"})
    return {"result": "capacity provider %s: managed termination protection enabled" % name}
`;

const NO_PUBLIC_IP = `import boto3

def handler(events, context):
    # Config's resource id for a service is its ARN: arn:aws:ecs:region:account:service/CLUSTER/NAME.
    parts = events["ResourceId"].split(":")[-1].split("/")
    if len(parts) != 3 or parts[0] != "service":
        raise Exception("%s is not a service ARN naming its cluster (service/CLUSTER/NAME): remediate it by hand" % events["ResourceId"])
    cluster, service = parts[1], parts[2]
    ecs = boto3.client("ecs")
    described = ecs.describe_services(cluster=cluster, services=[service])
    if not described["services"]:
        raise Exception("service %s not found in cluster %s: %s" % (service, cluster, described.get("failures")))
    current = described["services"][0]
    controller = current.get("deploymentController", {}).get("type", "ECS")
    if controller != "ECS":
        raise Exception("service %s is deployed by %s: change its network configuration there" % (service, controller))
    awsvpc = current.get("networkConfiguration", {}).get("awsvpcConfiguration")
    if awsvpc is None or awsvpc.get("assignPublicIp") != "ENABLED":
        return {"result": "service %s assigns no public IP: nothing to change" % service}
    # The whole awsvpc configuration is sent back with only assignPublicIp changed; ECS starts a new deployment.
    update = {"subnets": awsvpc["subnets"], "assignPublicIp": "DISABLED"}
    if awsvpc.get("securityGroups"):
        update["securityGroups"] = awsvpc["securityGroups"]
    ecs.update_service(cluster=cluster, service=service, networkConfiguration={"awsvpcConfiguration": update})
    return {"result": "service %s: public IP assignment disabled, new deployment started" % service}
`;

/** By control id: the controls whose setting Config may change in place. */
export const REMEDIATIONS: readonly Remediation[] = [
  {
    controlId: 'ECS.12',
    summary: 'Turns Container Insights on for the cluster (UpdateClusterSettings).',
    // UpdateClusterSettings has no condition key for the setting or its value.
    grants: [{ actions: ['ecs:DescribeClusters', 'ecs:UpdateClusterSettings'], resource: 'cluster/*' }],
    document: document('ECS.12: turns Container Insights on for an ECS cluster (ecs-config-rules).', CONTAINER_INSIGHTS),
  },
  {
    controlId: 'ECS.19',
    summary: "Turns managed termination protection on for the capacity provider (UpdateCapacityProvider); ECS refuses unless the Auto Scaling group has managed scaling and scale-in protection for new instances, which stays the group owner's change.",
    // UpdateCapacityProvider's condition keys are about tags, not termination protection.
    grants: [{ actions: ['ecs:DescribeCapacityProviders', 'ecs:UpdateCapacityProvider'], resource: 'capacity-provider/*' }],
    document: document('ECS.19: turns managed termination protection on for an ECS capacity provider (ecs-config-rules).', TERMINATION_PROTECTION),
  },
  {
    controlId: 'ECS.2',
    summary: 'Sets assignPublicIp DISABLED on the service (UpdateService), keeping its subnets and security groups: ECS redeploys it. Tasks in public subnets then need a NAT gateway or VPC endpoints to pull images.',
    grants: [
      // A service's ARN names its cluster (service/CLUSTER/NAME), the only form the script acts on.
      { actions: ['ecs:DescribeServices'], resource: 'service/*/*' },
      // ecs:auto-assign-public-ip is the request's assignPublicIp: the role may update a service only
      // in a request that turns public IPs off, whatever document runs as it.
      { actions: ['ecs:UpdateService'], resource: 'service/*/*', conditions: { Bool: { 'ecs:auto-assign-public-ip': 'false' } } },
    ],
    document: document('ECS.2: stops an ECS service from assigning public IP addresses; redeploys it (ecs-config-rules).', NO_PUBLIC_IP),
  },
];

export function remediationFor(controlId: string): Remediation | undefined {
  return REMEDIATIONS.find((remediation) => remediation.controlId === controlId);
}

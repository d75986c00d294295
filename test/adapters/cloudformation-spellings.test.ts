/**
 * CloudFormation reads a property only as its resource schema spells it: a template key in another
 * case (`user`, Config's `EfsVolumeConfiguration`, a service's `AwsVpcConfiguration`) is not the
 * property, so it is could-not-evaluate, never read as it. And the adapter cannot drift from the
 * schemas: every spelling it reads is one the CDK's L1 classes (generated from CloudFormation's
 * resource schemas) know, at the place it is read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { CfnInclude } from "aws-cdk-lib/cloudformation-include";
import {
  cloudFormationSpellings,
  resourceFromProperties,
  resourcesFromTemplate,
} from "../../lambdas/adapters/cloudformation";
import { controlById } from "../../lambdas/controls";
import {
  Resource,
  RESOURCE_TYPES,
  ResourceType,
  Unreadable,
} from "../../lambdas/core/model";
import { parseText } from "../../scan/inputs/parse";
import { loadFixture } from "../fixtures/load";

type Json = Record<string, any>;

const FIXTURES = join(__dirname, "..", "fixtures", "cloudformation");

const evaluate = (controlId: string, resource: Resource) =>
  controlById(controlId).evaluate(resource);

function resourceOf(template: unknown, logicalId: string): Resource {
  const found = resourcesFromTemplate(template).find(
    (candidate) => candidate.logicalId === logicalId
  );
  if (!found) throw new Error(`template has no ECS resource ${logicalId}`);
  return found.resource;
}

describe("a YAML template whose keys are not spelled as CloudFormation spells them", () => {
  const yaml = parseText(
    readFileSync(join(FIXTURES, "misspelled-keys.yaml"), "utf8"),
    "misspelled-keys.yaml"
  ).value;
  const resource = (logicalId: string) => resourceOf(yaml, logicalId);

  it.each([
    [
      "a lower-case user alone",
      "LowerUser",
      "ECS.20",
      "ContainerDefinitions[0].user",
      "user",
      "User",
      "TaskDefinition",
    ],
    [
      "a lower-case privileged alone",
      "LowerPrivileged",
      "ECS.4",
      "ContainerDefinitions[0].privileged",
      "privileged",
      "Privileged",
      "TaskDefinition",
    ],
    [
      "a lower-case logConfiguration",
      "LowerLogConfiguration",
      "ECS.9",
      "ContainerDefinitions[0].logConfiguration",
      "logConfiguration",
      "LogConfiguration",
      "TaskDefinition",
    ],
    [
      "AWS Config's EfsVolumeConfiguration",
      "ConfigSpelledEfs",
      "ECS.18",
      "Volumes[0].EfsVolumeConfiguration",
      "EfsVolumeConfiguration",
      "EFSVolumeConfiguration",
      "TaskDefinition",
    ],
    [
      "a task set's AwsVpcConfiguration in a service",
      "ServiceWithTaskSetSpelling",
      "ECS.2",
      "NetworkConfiguration.AwsVpcConfiguration",
      "AwsVpcConfiguration",
      "AwsvpcConfiguration",
      "Service",
    ],
    [
      "a service's AwsvpcConfiguration in a task set",
      "TaskSetWithServiceSpelling",
      "ECS.16",
      "NetworkConfiguration.AwsvpcConfiguration",
      "AwsvpcConfiguration",
      "AwsVpcConfiguration",
      "TaskSet",
    ],
  ])(
    "does not read %s as the property: could not evaluate, naming the key, its spelling and why",
    (_, logicalId, controlId, path, written, spelling, type) => {
      expect(evaluate(controlId, resource(logicalId))).toEqual({
        compliance: "NOT_EVALUATED",
        annotation: `${controlId} could not evaluate Resources.${logicalId}.Properties.${path}: "${written}" is not "${spelling}": CloudFormation matches property names exactly (the AWS::ECS::${type} resource schema)`,
      });
    }
  );

  it("reads the exact spelling when a key is spelled both ways: CloudFormation reads User, not user (user 0 is root)", () => {
    expect(evaluate("ECS.20", resource("BothUsers"))).toMatchObject({
      compliance: "NON_COMPLIANT",
    });
  });

  it("does not read a Status, which a template cannot set: the task definition is evaluated, not skipped as INACTIVE", () => {
    expect(evaluate("ECS.4", resource("InactiveByHand"))).toMatchObject({
      compliance: "NON_COMPLIANT",
    });
  });
});

describe("a JSON template whose keys are not spelled as CloudFormation spells them", () => {
  const task = (container: Json) => ({
    Resources: {
      Task: {
        Type: "AWS::ECS::TaskDefinition",
        Properties: {
          ContainerDefinitions: [
            { Name: "app", Image: "busybox", ...container },
          ],
        },
      },
    },
  });

  it("does not read a lower-case user as User", () => {
    expect(
      evaluate("ECS.20", resourceOf(task({ user: "1000" }), "Task"))
    ).toMatchObject({
      compliance: "NOT_EVALUATED",
      annotation: expect.stringContaining(
        'Resources.Task.Properties.ContainerDefinitions[0].user: "user" is not "User"'
      ),
    });
  });

  it.each([
    [{ Privileged: false, privileged: true }, "COMPLIANT"],
    [{ Privileged: true, privileged: false }, "NON_COMPLIANT"],
  ])(
    "reads Privileged, not privileged, when both are set (%j)",
    (container, compliance) => {
      expect(
        evaluate("ECS.4", resourceOf(task(container), "Task"))
      ).toMatchObject({ compliance });
    }
  );
});

describe("the spellings the adapter reads are those of the CloudFormation resource schemas", () => {
  const template = loadFixture("cloudformation", "exact-spellings") as Json;
  const resources = Object.entries(template.Resources as Record<string, Json>);

  it("covers every resource type the adapter reads, with a fixture resource of each", () => {
    expect(resources.map(([, definition]) => definition.Type).sort()).toEqual(
      [...RESOURCE_TYPES].sort()
    );
  });

  /** The properties the CDK's L1 class for the resource (generated from its CloudFormation schema) recognizes, rendered back as CloudFormation names. */
  function recognizedByCdk(templateFile: string, logicalId: string): Json {
    const stack = new Stack(new App(), "Spellings");
    const included = new CfnInclude(stack, "Template", { templateFile });
    // An unrecognized key is kept only as a raw override, which rendering the typed properties leaves out.
    const l1 = (included.getResource(logicalId) as unknown) as {
      cfnProperties: Json;
      renderProperties(properties: Json): Json;
    };
    return stack.resolve(l1.renderProperties(l1.cfnProperties));
  }

  it.each(resources)(
    "%s: every key of the fixture is one CloudFormation's schema has there",
    (logicalId, definition) => {
      expect(
        recognizedByCdk(join(FIXTURES, "exact-spellings.json"), logicalId)
      ).toEqual(definition.Properties);
    }
  );

  it("would notice a key CloudFormation's schema does not have (the check above can fail)", () => {
    const configSpelled = structuredClone(template);
    const volume = configSpelled.Resources.LedgerTaskDef.Properties.Volumes[0];
    volume.EfsVolumeConfiguration = volume.EFSVolumeConfiguration;
    delete volume.EFSVolumeConfiguration;
    const file = join(
      mkdtempSync(join(tmpdir(), "spellings-")),
      "config-spelled.json"
    );
    writeFileSync(file, JSON.stringify(configSpelled));

    expect(recognizedByCdk(file, "LedgerTaskDef").Volumes).toEqual([
      { Name: "journal" },
    ]);
  });

  it.each(resources)(
    "%s: every spelling the adapter reads for its type is in the fixture",
    (_, definition) => {
      const keys = new Set(allKeys(definition.Properties));
      const spelled = Object.values(
        cloudFormationSpellings(definition.Type as ResourceType)
      ).filter((spelling): spelling is string => spelling !== null);
      expect(spelled.filter((spelling) => !keys.has(spelling))).toEqual([]);
    }
  );

  it.each(resources)(
    "%s: the adapter asks only for keys the fixture has where it asks, and reads every field",
    (logicalId, definition) => {
      const { document, missing } = recording(
        definition.Properties,
        `Resources.${logicalId}.Properties`
      );
      const resource = resourceFromProperties(
        definition.Type,
        document,
        `Resources.${logicalId}.Properties`,
        logicalId,
        "LINUX"
      );

      expect(missing).toEqual([]);
      expect(unreadablesIn(resource)).toEqual([]);
    }
  );

  it("would notice an asked key the fixture lacks (the recording above can fail)", () => {
    const [logicalId, definition] = resources.find(
      ([, candidate]) => candidate.Type === "AWS::ECS::TaskDefinition"
    )!;
    const properties = structuredClone(definition.Properties);
    delete properties.ContainerDefinitions[0].User;
    const { document, missing } = recording(properties, "Properties");
    resourceFromProperties(
      "AWS::ECS::TaskDefinition",
      document,
      "Properties",
      logicalId,
      "LINUX"
    );

    expect(missing).toContain("Properties.ContainerDefinitions[0].User");
  });
});

/** Every key of a JSON value, at any depth. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    key,
    ...allKeys(child),
  ]);
}

/**
 * `document` behind proxies that note each own-key lookup of a key the object lacks: the reader
 * looks a key up exactly (hasOwnProperty) before any case-insensitive walk, and a walk only asks
 * about keys that are there, so a lookup of an absent key is a spelling the adapter asked for.
 */
function recording(
  document: Json,
  root: string
): { document: Json; missing: string[] } {
  const missing: string[] = [];
  const wrap = (value: unknown, path: string): unknown => {
    if (typeof value !== "object" || value === null) return value;
    return new Proxy(value, {
      getOwnPropertyDescriptor(target, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
        if (descriptor === undefined) missing.push(`${path}.${String(key)}`);
        return descriptor;
      },
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key === "symbol" || !Object.hasOwn(target, key))
          return child;
        return wrap(
          child,
          Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`
        );
      },
    });
  };
  return { document: wrap(document, root) as Json, missing };
}

/** The paths of every unreadable field of a model. */
function unreadablesIn(value: unknown): string[] {
  if (value instanceof Unreadable) return [`${value.path}: ${value.reason}`];
  if (Array.isArray(value)) return value.flatMap(unreadablesIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(unreadablesIn);
}

#!/usr/bin/env bash
# The package as its users get it: `npm pack`, then the tarball installed into scratch projects.
#  1. A CLI-only install (no aws-cdk-lib pulled in): `npx ecs-config-rules scan` on the examples exits
#     1 with the findings the CLI reports from source.
#  2. A TypeScript CDK app run by ts-node, as `cdk init app --language typescript` makes one, importing
#     EcsControlRules and the validation plugin by package name on the oldest aws-cdk-lib the package
#     accepts: 17 Config rules, deploying the same function code as this repository's own synth.
# Needs the repository's own synth in cdk.out (`.ci/run` runs it first). Prints each step's time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
step() { echo "consumer-test [$((SECONDS - started)) s] $*"; }
fail() { echo "consumer-test FAILED: $*" >&2; exit 1; }
install() { npm install --no-audit --no-fund --loglevel=error "$@"; }

repo_template="$repo/cdk.out/EcsConfigRules.template.json"
[ -f "$repo_template" ] || fail "no $repo_template: run \`npx cdk synth\` in the repository first"
# The lowest aws-cdk-lib the peer range accepts ("^2.262.0" → 2.262.0): the floor is what is proven.
cdk_floor="$(node -p "require('$repo/package.json').peerDependencies['aws-cdk-lib'].replace(/^[\^~>=\s]*/, '')")"

step "npm pack (runs prepack: npm run build)"
tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
[ -f "$tarball" ] || fail "npm pack wrote no tarball"

step "CLI-only install"
mkdir "$work/cli" && cd "$work/cli"
npm init -y >/dev/null
install "$tarball"
[ ! -e node_modules/aws-cdk-lib ] || fail "a CLI-only install pulled in aws-cdk-lib"
[ ! -e node_modules/constructs ] || fail "a CLI-only install pulled in constructs"
cp -R "$repo/examples" examples
step "npx ecs-config-rules scan examples/"
set +e
npx --no-install ecs-config-rules scan examples/ --format json > installed.json
code=$?
set -e
[ "$code" = 1 ] || fail "scan of the examples exited $code, expected 1 (findings)"
(cd "$repo" && node_modules/.bin/tsx bin/ecs-config-rules.ts scan examples/ --format json > "$work/cli/from-source.json") || true
node -e '
  const [installed, fromSource] = process.argv.slice(1).map((file) => JSON.parse(require("fs").readFileSync(file, "utf8")));
  if (JSON.stringify(installed) !== JSON.stringify(fromSource)) throw new Error("the installed CLI reports other findings than the CLI from source");
  const failed = installed.findings.filter((finding) => finding.status === "failed");
  if (failed.length === 0) throw new Error("no failed finding on the examples");
  console.log(`  ${failed.length} failed findings (${[...new Set(failed.map((finding) => finding.controlId))].join(", ")}), as from source`);
' installed.json from-source.json

step "CDK app (ts-node, aws-cdk-lib@$cdk_floor): install"
mkdir "$work/app" && cd "$work/app"
cp -R "$repo/scripts/consumer-app/." .
install "aws-cdk-lib@$cdk_floor" "constructs@^10" "ts-node@^10" "typescript@~5.9" "@types/node@^20" "$tarball"
copies="$(npm ls aws-cdk-lib --all --parseable | wc -l)"
[ "$copies" = 1 ] || fail "$copies copies of aws-cdk-lib installed: the package must use the app's"
step "CDK app: cdk synth"
"$repo/node_modules/.bin/cdk" synth --quiet --no-notices > synth.log 2>&1 || { cat synth.log; fail "cdk synth of the consumer app failed"; }
grep -q "has privileged containers: app" synth.log || { cat synth.log; fail "the validation plugin did not report the privileged container (ECS.4)"; }
node -e '
  const fs = require("fs");
  const [appTemplate, repoTemplate] = process.argv.slice(1).map((file) => JSON.parse(fs.readFileSync(file, "utf8")).Resources);
  const ofType = (resources, type) => Object.values(resources).filter((resource) => resource.Type === type);
  const rules = ofType(appTemplate, "AWS::Config::ConfigRule");
  if (rules.length !== 17) throw new Error(`${rules.length} AWS::Config::ConfigRule resources, expected 17`);
  const codeKeys = (resources) => new Set(ofType(resources, "AWS::Lambda::Function").map((fn) => fn.Properties.Code.S3Key).filter(Boolean));
  const repoKeys = codeKeys(repoTemplate);
  const appKeys = [...codeKeys(appTemplate)];
  const different = appKeys.filter((key) => !repoKeys.has(key));
  if (appKeys.length !== 17 || different.length > 0) throw new Error(`the prebuilt functions are not the code the repository deploys: ${different.join(", ")}`);
  console.log(`  ${rules.length} Config rules; their 17 function assets are the ones the repository synthesizes from source`);
' cdk.out/Consumer.template.json "$repo_template"
step "CDK app: the programmatic scan (ecs-config-rules/scan)"
npx --no-install ts-node scan.ts "$repo/examples"
step "passed"

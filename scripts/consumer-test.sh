#!/usr/bin/env bash
# The package as its users get it: `npm pack`, then the tarball installed into scratch projects.
#  1. A CLI-only install (no aws-cdk-lib pulled in): `npx ecs-config-rules scan` on the examples exits
#     1 with the findings the CLI reports from source.
#  2. The way in before npm: a scratch clone of the committed sources, tagged v<version> there (the
#     repository's own tags are the maintainers' to push), installed as `git+file://…#v<version>`:
#     npm builds it through `prepare`, and its CLI reports what the tarball's does.
#  3. pre-commit's own install of the hook from that clone (its node support): in a scratch
#     repository, `pre-commit try-repo` fails a privileged task definition with ECS.4 (exit 1); a
#     .pre-commit-config.yaml at rev v<version> passes a hardened one (exit 0), then, reusing the
#     installed hook, fails the privileged one again.
#  4. A TypeScript CDK app run by ts-node, as `cdk init app --language typescript` makes one, importing
#     EcsControlRules and the validation plugin by package name on the oldest aws-cdk-lib the package
#     accepts: 17 Config rules, deploying the same function code as this repository's own synth.
#  5. In that app, every TypeScript snippet of README.md and docs/ that uses the package compiles and runs.
# And from the tarball's jsii assembly: the Python, Java, .NET and Go sources (Python byte-compiled),
# and the jsii kernel (the runtime host those languages embed) synthesizing EcsControlRules and failing
# a privileged container's synth through EcsControlChecks (scripts/jsii-kernel-check.ts).
# Needs the repository's own synth in cdk.out and pre-commit (`.ci/run` sees to both). Prints each
# step's time and the installs' sizes.
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
version="$(node -p "require('$repo/package.json').version")"
command -v pre-commit >/dev/null || fail "pre-commit is not installed (.ci/run installs Debian's package)"
# The lowest aws-cdk-lib the peer range accepts ("^2.271.0" → 2.271.0): the floor is what is proven.
cdk_floor="$(node -p "require('$repo/package.json').peerDependencies['aws-cdk-lib'].replace(/^[\^~>=\s]*/, '')")"

step "npm pack (runs prepare: npm run build)"
tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
[ -f "$tarball" ] || fail "npm pack wrote no tarball"
echo "  $(basename "$tarball"): $(du -k "$tarball" | cut -f1) KB"
tar tzf "$tarball" package/.jsii > /dev/null 2>&1 || fail "the tarball carries no .jsii assembly (jsii's, for Python, Java, .NET and Go)"

step "jsii targets: npm run package:all, from the build npm pack ran"
(cd "$repo" && scripts/package-all.sh --built) | sed 's/^/  /'
step "jsii kernel: the tarball driven as the Python, Java, .NET and Go runtimes drive it"
(cd "$repo" && node_modules/.bin/tsx scripts/jsii-kernel-check.ts "$tarball") | sed 's/^/  /'

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

step "git tag install: git+file://…#v$version"
git clone --quiet --no-local "$repo" "$work/src"
git -C "$work/src" tag "v$version"
mkdir "$work/git" && cd "$work/git"
npm init -y >/dev/null
install "git+file://$work/src#v$version"
echo "  node_modules: $(du -sk node_modules | cut -f1) KB"
# From the tarball's project, so the report's paths are the same: the same findings, or a difference.
set +e
(cd "$work/cli" && "$work/git/node_modules/.bin/ecs-config-rules" scan examples/ --format json > "$work/git/from-git.json")
code=$?
set -e
[ "$code" = 1 ] || fail "the git-installed CLI exited $code on the examples, expected 1 (findings)"
cmp -s from-git.json "$work/cli/installed.json" || fail "the git-installed CLI reports other findings than the tarball's"
echo "  the same findings as the tarball's CLI"

step "pre-commit try-repo ($(pre-commit --version)): installs the hook from the clone"
export PRE_COMMIT_HOME="$work/pre-commit-home"
mkdir "$work/hooked" && cd "$work/hooked"
git init --quiet
privileged_task_definition() {
  echo '{ "taskDefinition": { "family": "web", "revision": 1, "status": "ACTIVE",'
  echo '  "containerDefinitions": [{ "name": "app", "image": "public.ecr.aws/docker/library/busybox:stable", "privileged": true }] } }'
}
privileged_task_definition > web.json
echo '{ "unrelated": true }' > settings.json
git add .
# The logs stay outside the repository: pre-commit fails a hook whose run changes a tracked file.
hook_log="$work/pre-commit.log"
expect_hook() {
  local expected="$1"; shift
  set +e; "$@" > "$hook_log" 2>&1; local code=$?; set -e
  [ "$code" = "$expected" ] || { cat "$hook_log"; fail "\`$*\` exited $code, expected $expected"; }
}
expect_hook 1 pre-commit try-repo "$work/src" ecs-config-rules --all-files
grep -q "privileged containers: app" "$hook_log" || { cat "$hook_log"; fail "pre-commit's run did not report the privileged container (ECS.4)"; }
echo "  exit 1: $(grep -c "✘ ECS\." "$hook_log") findings, ECS.4 among them"

# try-repo installs into a fresh temporary store each time; a configuration, as users write it,
# installs once into PRE_COMMIT_HOME and reuses it.
step "pre-commit run with .pre-commit-config.yaml (rev v$version): a hardened task definition"
git rm --quiet --force web.json
cp "$repo/examples/task-definitions/checkout-api-hardened.json" .
printf 'repos:\n  - repo: %s\n    rev: v%s\n    hooks:\n      - id: ecs-config-rules\n' "$work/src" "$version" > .pre-commit-config.yaml
git add .
expect_hook 0 pre-commit run --all-files
echo "  exit 0"
step "pre-commit run again, the privileged task definition back (the installed hook reused)"
privileged_task_definition > web.json
git add web.json
expect_hook 1 pre-commit run --all-files
echo "  exit 1"

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

# Every TypeScript snippet of README.md and docs/*.md that uses the package (scripts/doc-snippets.ts),
# compiled by the app's TypeScript against the installed package (its `exports`, its types) and run
# with plain node, each synthesized in its own App; a synth warning fails it. The scan-API snippets
# read infra/ and the plugin's snippet a config file, as the docs show them.
step "CDK app: every documented snippet compiles and runs against the package"
(cd "$repo" && node_modules/.bin/tsx scripts/doc-snippets.ts "$work/app/snippets")
cp -R "$repo/examples" infra
printf 'suppressions: []\n' > .ecs-config-rules.yml
npx --no-install tsc -p snippets/tsconfig.json || fail "a documented snippet does not compile against the package (errors above name snippets/<document>-<line>.ts)"
node snippets/out/run.js > snippets.log 2>&1 || { cat snippets.log; fail "a documented snippet failed when run"; }
grep '^  ran ' snippets.log
step "passed"

#!/usr/bin/env bash
# `npm run compat`: does this build's jsii assembly break the previous release's API for Python, Java,
# .NET and Go users? jsii-diff (https://github.com/aws/jsii/tree/main/packages/jsii-diff) compares the
# newest earlier release tag's assembly (v*, other than package.json's version) with ./.jsii and fails
# on a breaking change to a stable API (`--error-on prod`: removed types or members, a prop made
# required, a narrowed return type), printing each with its suppression key.
#   --against <dir|npm:ecs-config-rules@x.y.z>  compare with that assembly instead of a tag's
# With no earlier tag in the clone (fetch tags first: release.yml checks out with fetch-depth 0) it
# says so and exits 0: there is nothing released to be compatible with.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
[ -f .jsii ] || { echo "compat: no .jsii here: run npm run build first" >&2; exit 2; }
against=""
if [ "${1:-}" = "--against" ]; then
  against="${2:?--against needs an assembly directory or npm:ecs-config-rules@version}"
else
  version="$(node -p "require('./package.json').version")"
  tag="$(git tag --list 'v*.*.*' --sort=-v:refname | grep -vx "v$version" | head -n 1 || true)"
  if [ -z "$tag" ]; then
    echo "compat: no earlier release tag (v*.*.*) in this clone: nothing released to compare with"
    exit 0
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  git clone --quiet --no-local --branch "$tag" . "$work/previous" 2>/dev/null
  if ! node -e "process.exit(require('$work/previous/package.json').scripts?.jsii ? 0 : 1)"; then
    echo "compat: $tag predates the jsii assembly (no \`npm run jsii\` there): nothing to compare with"
    exit 0
  fi
  echo "compat: building $tag's assembly"
  (cd "$work/previous" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run jsii --silent) > "$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; echo "compat: could not build $tag's assembly" >&2; exit 2; }
  against="$work/previous"
fi
echo "compat: $against → this build"
npx --no-install jsii-diff --keys --error-on prod "$against" .

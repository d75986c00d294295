#!/usr/bin/env bash
# `npm run package:all`: the jsii targets (docs/jsii.md) in dist-jsii/, from a fresh `npm run build`
# (the assembly `.jsii` and dist/), or from the build there is with `--built` (the consumer test, right
# after its `npm pack` built it).
#   Python (`ecs_config_rules`), Java (Maven), .NET (NuGet) and Go sources: `jsii-pacmak --code-only`,
#   because this machine has no PyPI, Maven Central, NuGet or Go toolchain to build packages with.
#   Python is then byte-compiled with the machine's python3 (`compileall`), so a syntax error in the
#   generated module fails here; the others are generated only.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
if [ "${1:-}" != "--built" ]; then npm run build --silent; fi
[ -f .jsii ] || { echo "package:all: no .jsii: run npm run build first (or drop --built)" >&2; exit 2; }
rm -rf dist-jsii
# The build has run: pack the tarball each target embeds without running `prepare` again.
npx --no-install jsii-pacmak --code-only --pack-command 'npm pack --ignore-scripts --silent' --targets python java dotnet go
for target in python java dotnet go; do
  echo "package:all: $target: $(find "dist-jsii/$target" -type f | wc -l | tr -d ' ') files generated (dist-jsii/$target)"
done
python3 -m compileall -q dist-jsii/python/src
echo "package:all: python: byte-compiled with $(python3 --version)"

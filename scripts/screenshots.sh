#!/usr/bin/env bash
# Regenerates images/screenshots/*.png (the README shows them): packages the extension, installs the .vsix into the
# browser VS Code of the e2e harness, and runs test/e2e/ui-check.js, which asserts what each screenshot must show.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash test/e2e/setup.sh
npm run -s package
npm run -s compile-tests
exec node test/e2e/ui-check.js --vsix migratable-domains.vsix --out images/screenshots "$@"

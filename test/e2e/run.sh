#!/usr/bin/env bash
# One command for the in-editor tests: provision the harness (idempotent, quick once done), build the extension,
# then run test/e2e/suite inside a real VS Code (code-server + headless chromium; or desktop VS Code with
# @vscode/test-electron when VSCODE_EXECUTABLE is set).
#
#   bash test/e2e/run.sh [run-tests.js options]          e.g.  --grep settings   --vsix dist/x.vsix   --keep
#   E2E_SKIP_SETUP=1 / E2E_SKIP_BUILD=1 skip those steps.
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/../.." && pwd)"
if [ -z "${VSCODE_EXECUTABLE:-}" ] && [ -z "${E2E_SKIP_SETUP:-}" ]; then
  bash "$E2E/setup.sh"
fi
cd "$ROOT"
if [ -z "${E2E_SKIP_BUILD:-}" ] && [[ " $* " != *" --vsix "* ]]; then
  echo "e2e: npm run build && npm run compile-tests (the host suite starts libvirt daemons through out/test/helpers)" >&2
  npm run -s build
  npm run -s compile-tests
fi
exec node "$E2E/run-tests.js" "$@"

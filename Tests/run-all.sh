#!/usr/bin/env bash
# The project's test command: prepares the host (libvirt, QEMU, viewer tools), builds saffron, and runs every
# test target, the end-to-end suites included. Extra arguments go to `swift test`, e.g. `--filter Handout`.
# Screenshots and broker logs of the end-to-end suites land in $SAFFRON_E2E_ARTIFACTS (/tmp/saffron-e2e-artifacts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash deploy/prepare-host.sh
swift build
bin_path=$(swift build --show-bin-path)
SAFFRON_E2E=1 SAFFRON_BIN="$bin_path/saffron" swift test "$@"

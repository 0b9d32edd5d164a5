#!/usr/bin/env bash
# The project's test command: prepares the host (libvirt, QEMU, viewer tools, PostgreSQL), builds saffron, and runs every
# test target, the end-to-end suites included. Extra arguments go to `swift test`, e.g. `--filter Handout`.
# Screenshots and broker logs of the end-to-end suites land in $SAFFRON_E2E_ARTIFACTS (/tmp/saffron-e2e-artifacts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash deploy/prepare-host.sh
swift build
bin_path=$(swift build --show-bin-path)
# SPICE TLS for the test hypervisor's address (198.18.2.1), made once and turned on in libvirt.
spice_tls=/var/lib/saffron-e2e/spice-tls-198.18.2.1
[ -e "$spice_tls/ca-cert.pem" ] || "$bin_path/saffron" tls init --dir "$spice_tls" --ip 198.18.2.1 >/dev/null
SAFFRON_SPICE_TLS_DIR=$spice_tls bash deploy/prepare-host.sh
# schemathesis (PyPI) fuzzes the API from its OpenAPI document; kept in a venv of its own, made once.
schemathesis_env=/var/lib/saffron-e2e/schemathesis
if [ ! -x "$schemathesis_env/bin/schemathesis" ]; then
  python3 -m venv "$schemathesis_env"
  "$schemathesis_env/bin/pip" install -q "schemathesis>=4,<5"
fi
# The desktop image the end-to-end suites hand out (built once, then cached by its recipe; see deploy/desktop-image).
desktop_image=$(bash deploy/desktop-image/build.sh)
# A throwaway PostgreSQL cluster (Unix socket only) on which every store test also runs.
postgres_folder=$(mktemp -d /tmp/saffron-postgres.XXXXXX)
trap 'bash Tests/postgres-cluster.sh stop "$postgres_folder"' EXIT
postgres_url=$(bash Tests/postgres-cluster.sh start "$postgres_folder")
SAFFRON_TEST_POSTGRES_URL=$postgres_url SAFFRON_E2E=1 SAFFRON_DESKTOP_IMAGE=$desktop_image SAFFRON_E2E_SPICE_TLS=$spice_tls SAFFRON_E2E_SCHEMATHESIS="$schemathesis_env/bin/schemathesis" \
  SAFFRON_BIN="$bin_path/saffron" swift test "$@"
# The broker and API tests once more with their stores on PostgreSQL: nothing above the store may lean on SQLite.
if [ $# -eq 0 ]; then
  SAFFRON_TEST_POSTGRES_URL=$postgres_url SAFFRON_TEST_BROKER_STORE=postgres swift test --skip-build --filter 'BrokerTests|HTTPAPITests'
fi

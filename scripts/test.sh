#!/usr/bin/env bash
# Runs Eddy's test suite (installs what it needs first). Extra arguments go to Maven,
# e.g. scripts/test.sh -Dtest=CpuLesPhysicsTest or -Dgroups=slow for the long tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EDDY_SETUP_SKIP_BUILD=1 "$here/scripts/setup.sh"
source "$here/scripts/find-java.sh"
java="$(eddy_find_java)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
cd "$here"
mvn -B verify "$@"

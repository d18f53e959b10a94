#!/usr/bin/env bash
# Runs Eddy's test suite (installs what it needs first): every tier but slow (README, "Tests").
#   scripts/test.sh                    fast, physics, gpu-parity and robustness: what CI runs
#   scripts/test.sh --fast             the fast tier alone (CPU unit tests; under a minute)
#   scripts/test.sh --tier physics     one tier, or several: --tier physics,gpu-parity (slow included if named)
#   scripts/test.sh --slow             the slow tier alone
#   scripts/test.sh --ci               as CI runs it (.ci/run): a GPU test that finds no Vulkan device fails
#                                      instead of skipping (EDDY_REQUIRE_GPU=1), and so does the Slurm test
#                                      where it cannot start its cluster (EDDY_REQUIRE_SLURM=1; needs root)
# Other arguments go to Maven, e.g. scripts/test.sh -Dtest=CpuLesPhysicsTest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tiers=""
maven=()
while (($#)); do
  case "$1" in
    --fast) tiers="fast" ;;
    --slow) tiers="slow" ;;
    --tier) [[ $# -ge 2 ]] || { echo "test.sh: --tier needs a tier (fast, physics, gpu-parity, robustness, slow)" >&2; exit 2; }
            tiers="$2"; shift ;;
    --tier=*) tiers="${1#--tier=}" ;;
    --ci) export EDDY_REQUIRE_GPU=1 EDDY_REQUIRE_SLURM=1 ;;
    *) maven+=("$1") ;;
  esac
  shift
done
if [[ -n "$tiers" ]]; then
  for t in ${tiers//,/ }; do
    case "$t" in
      fast|physics|gpu-parity|robustness|slow) ;;
      *) echo "test.sh: unknown tier '$t' (fast, physics, gpu-parity, robustness, slow)" >&2; exit 2 ;;
    esac
  done
  maven+=("-Dgroups=$tiers")
  # pom.xml excludes slow by default; a run that names it must lift the exclusion
  [[ ",$tiers," == *",slow,"* ]] && maven+=("-Dtest.excludedGroups=")
fi
EDDY_SETUP_SKIP_BUILD=1 "$here/scripts/setup.sh"
source "$here/scripts/find-java.sh"
java="$(eddy_find_java)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
cd "$here"
mvn -B verify ${maven[@]+"${maven[@]}"}

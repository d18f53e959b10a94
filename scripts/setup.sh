#!/usr/bin/env bash
# Installs what Eddy needs on Debian 12 and builds it. Idempotent; run as root (or with sudo).
#   - Debian packages: Maven, the Vulkan loader + Mesa lavapipe (a CPU Vulkan driver, so GPU code is
#     testable without a GPU), VkFFT headers, glslang + SPIR-V tools, a C++ compiler, ffmpeg (the run's
#     video), chromium (the test that renders report.html headless), munge and slurm-wlm (the Slurm test
#     starts its own one-node cluster with scripts/slurm-local.sh; no daemon is configured here).
#   - Java 25 must already be present (Temurin 25 under /usr/lib/jvm, or JAVA_HOME): Debian 12 does
#     not package it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/find-java.sh"

packages=(maven g++ make python3-h5py python3-xarray python3-zarr python3-numcodecs python3-matplotlib libglvnd0 libegl1 libvulkan-dev mesa-vulkan-drivers vulkan-tools libvkfft-dev glslang-dev glslang-tools spirv-tools ffmpeg chromium munge slurm-wlm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

java="$(eddy_find_java)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
echo "setup: Java 25 at $JAVA_HOME" >&2
if [[ "${EDDY_SETUP_SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$here" && mvn -q -B package -DskipTests)
  echo "setup: built $here/target/eddy.jar" >&2
fi

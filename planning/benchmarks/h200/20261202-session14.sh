#!/usr/bin/env bash
# H200 session 14 (issue 15, planning/les-speed.md §5): row stage v4 (next field's spectra prefetched,
# EDDY_ROW_FIELD_PREFETCH=1) against v3 (the default), fp32 + fp64, N = 1024 … 8192, after a warm-up.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B" /tmp/warm
t0=$(date +%s)
timeout 30 bin/eddy bench --backend vulkan --sizes 4096 --precisions fp32 --warmup 200 --steps 500 --repeats 2 --out /tmp/warm --no-report --label warm-up 2>&1 | grep -v WARNING | tail -1
for v in "v4 EDDY_ROW_FIELD_PREFETCH=1" "v3 X=1"; do
  set -- $v
  env $2 timeout 90 bin/eddy bench --backend vulkan --sizes 1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 300 --repeats 3 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, $v" 2>&1 | grep -v WARNING
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
cd "$OUT" && tar -czf all.tgz bench devices.json && rm -rf bench devices.json; ls -la "$OUT"

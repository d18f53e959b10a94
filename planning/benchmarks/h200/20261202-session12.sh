#!/usr/bin/env bash
# H200 session 12 (issue 15, planning/les-speed.md §5): the row stage v3 (pass twiddles prefetched) against v2
# (EDDY_ROW_PREFETCH=0) and the 2D transforms (EDDY_ROW_STAGE=0), fp32 + fp64, every N, profiles, after a warm-up.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B" /tmp/warm
t0=$(date +%s)
timeout 40 bin/eddy bench --backend vulkan --sizes 1024,4096 --precisions fp32 --warmup 200 --steps 500 --repeats 2 --out /tmp/warm --no-report --label warm-up 2>&1 | grep -v WARNING | tail -2
for v in "v3" "v2 EDDY_ROW_PREFETCH=0" "2d EDDY_ROW_STAGE=0"; do
  set -- $v
  env ${2:-X=1} timeout 170 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, $v" 2>&1 | grep -v WARNING
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
cd "$OUT" && tar -czf all.tgz bench devices.json && rm -rf bench devices.json; ls -la "$OUT"

#!/usr/bin/env bash
# H200 session 13 (issue 15): the final build (row stage v3) at the small sizes again after a warm-up (session 12's 512²
# fused run ran at lower clocks: every kernel ~30 % slower), the 2D transforms beside it, and ensembles with v3.
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
for v in "v3" "2d EDDY_ROW_STAGE=0"; do
  set -- $v
  env ${2:-X=1} timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024 --precisions fp32,fp64 --warmup 200 --steps 1000 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, small N, $v" 2>&1 | grep -v WARNING
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
timeout 60 bin/eddy bench --backend vulkan --members 64,256 --sizes 128,256,512 --precisions fp32 --warmup 10 --steps 10 --seconds 1 --repeats 5 --out "$B" --no-report --label "H200 ensembles rk4 C=2.4, v3" 2>&1 | grep -v WARNING
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$OUT" && tar -czf all.tgz bench devices.json && rm -rf bench devices.json; ls -la "$OUT"

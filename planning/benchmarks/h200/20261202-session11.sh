#!/usr/bin/env bash
# H200 session 11 (issue 15/16, planning/les-speed.md §5): the fused step (row stage v2) in ensembles against the 2D
# transforms (EDDY_ROW_STAGE=0), fp32; DNS fp32; the default pipeline at 1024² and a 4000-step run at 1024² with both
# paths (verdicts, health, final diagnostics side by side).
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
for stage in 1 0; do
  EDDY_ROW_STAGE=$stage timeout 100 bin/eddy bench --backend vulkan --members 16,64,256 --sizes 128,256,512 --precisions fp32 \
    --warmup 10 --steps 10 --seconds 1 --repeats 5 --out "$B" --no-report --label "H200 ensembles rk4 C=2.4, EDDY_ROW_STAGE=$stage" 2>&1 | grep -v WARNING
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --cs 0 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 DNS, fused v2" 2>&1 | grep -v WARNING
echo "elapsed $(( $(date +%s) - t0 )) s"
R="$OUT/runs"; mkdir -p "$R"
for stage in 1 0; do
  EDDY_ROW_STAGE=$stage timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p-$stage --log-metrics --no-report 2>&1 | grep -vE "WARNING" | tail -8
  cp /tmp/p-$stage/metrics.json "$R/pipeline-$stage-metrics.json"; cp /tmp/p-$stage/horizon.csv "$R/pipeline-$stage-horizon.csv"
  EDDY_ROW_STAGE=$stage timeout 60 bin/eddy run --backend vulkan --n 1024 --steps 4000 --diag-every 100 --snapshot-every 1000 --out /tmp/r-$stage --log-metrics --no-report 2>&1 | grep -vE "WARNING" | tail -4
  cp /tmp/r-$stage/metrics.json "$R/run-$stage-metrics.json"
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
cd "$OUT" && tar -czf all.tgz bench runs devices.json && rm -rf bench runs devices.json; ls -la "$OUT"

#!/usr/bin/env bash
# H200 session 9 (issue 15, planning/les-speed.md §5): the fused x-direction stage against the 2D transforms on the same
# bundle (EDDY_ROW_STAGE=0), RK4 C = 2.4, fp32 + fp64, every N, profiles; DNS fp32 fused; determinism (two identical runs,
# byte-compared) and the two paths' diagnostics side by side at 1024².
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
timeout 170 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, fused x-direction stage"
echo "elapsed $(( $(date +%s) - t0 )) s"
EDDY_ROW_STAGE=0 timeout 170 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, 2D transforms (EDDY_ROW_STAGE=0)"
echo "elapsed $(( $(date +%s) - t0 )) s"
timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --cs 0 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 DNS, fused x-direction stage"
echo "elapsed $(( $(date +%s) - t0 )) s"
R="$OUT/runs"; mkdir -p "$R"
for v in a b; do timeout 40 bin/eddy run --backend vulkan --n 1024 --steps 400 --out /tmp/run-$v > "$R/run-$v.txt" 2>&1; done
EDDY_ROW_STAGE=0 timeout 40 bin/eddy run --backend vulkan --n 1024 --steps 400 --out /tmp/run-2d > "$R/run-2d.txt" 2>&1
for f in $(cd /tmp/run-a && find . -type f -name '*.bin' -o -type f -path '*zarr*' | sort); do cmp -s "/tmp/run-a/$f" "/tmp/run-b/$f" || echo "DIFFERS $f"; done > "$R/determinism.txt"; echo "compared $(cd /tmp/run-a && find . -type f | wc -l) files" >> "$R/determinism.txt"
for v in a b 2d; do cp /tmp/run-$v/metrics.json "$R/metrics-$v.json"; done
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$OUT" && tar -czf all.tgz bench runs devices.json && rm -rf bench runs devices.json; ls -la "$OUT"

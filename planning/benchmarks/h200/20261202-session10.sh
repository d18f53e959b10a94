#!/usr/bin/env bash
# H200 session 10 (issue 15, planning/les-speed.md §5): les_row_transform v2 (ping-pong, padding, one twiddle load, lean
# products; one subgroup per workgroup at small N, A/B against 256 by EDDY_ROW_THREADS); fused fp32 + fp64 every N with profiles; the 2D transforms at 4096² fp32 as this session's reference.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
timeout 170 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, fused x-direction stage v2"
echo "elapsed $(( $(date +%s) - t0 )) s"
EDDY_ROW_THREADS=256 timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, fused v2, 256 invocations per workgroup at small N (EDDY_ROW_THREADS=256)"
echo "elapsed $(( $(date +%s) - t0 )) s"
EDDY_ROW_STAGE=0 timeout 60 bin/eddy bench --backend vulkan --sizes 4096 --precisions fp32 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, 2D transforms (EDDY_ROW_STAGE=0), reference"
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$OUT" && tar -czf all.tgz bench devices.json && rm -rf bench devices.json; ls -la "$OUT"

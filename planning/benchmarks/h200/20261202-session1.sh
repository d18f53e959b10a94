#!/usr/bin/env bash
# H200 session 1: the new default stepper (RK4 at C = 2.4) against Heun at C = 1.5 (about the old default),
# per step, per RHS evaluation and per unit of simulated time; per-operation profiles; one GPU pipeline run.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$OLDPWD/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
bin/eddy devices
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
# default stepper, LES, fp32 + fp64, all sizes (steps split into 5 batches, one host sync each)
bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES" 2>&1 | grep -v "^\s*$"
echo "elapsed $(( $(date +%s) - t0 )) s"
bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --stepper heun --cfl 1.5 --out "$B" --no-report --label "H200 heun C=1.5 LES (about the old default)"
echo "elapsed $(( $(date +%s) - t0 )) s"
bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --cs 0 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 DNS"
echo "elapsed $(( $(date +%s) - t0 )) s"
# the default pipeline at N = 1024 on the GPU, wall time per stage
/usr/bin/time -v bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/pg --log-metrics --no-report 2>&1 | grep -E "done|spin-up|learnt|warning|Elapsed|Maximum resident"
cp /tmp/pg/metrics.json "$OUT/pipeline-1024-metrics.json"
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$B" && tar -czf "$OUT/bench.tgz" . && ls -la "$OUT"

#!/usr/bin/env bash
# H200, issue 16: ensemble throughput against the peers of design §7 and the bandwidth floor
# (planning/ensembles.md has the prediction this measures).
#   - the sweep with the default stepper (RK4 at C = 2.4, 4 RHS evaluations per step), fp32 + fp64;
#   - Heun at C = 1.5 (2 evaluations per step, the peers' count), fp32;
#   - one ensemble run end to end (64 members at 256²: overlapped snapshots, checkpoint, store) for its member-steps/s.
# Run from the repository root with the bundle in .carry/ (ignored by git, carried to the device):
#   scripts/make-bundle.sh && mkdir -p .carry && cp dist/eddy-bundle-0.1.0.tar.xz .carry/
#   run(command="bash planning/ensembles-h200.sh", carry=[".carry"], kind="nvidia-h200", timeout_s=540)
# Everything it keeps goes under $OUT: log.txt, devices.json, bench.tgz, ensemble-256x64-metrics.json.
# Tried on lavapipe from the bundle with N = 32 and 1, 3 members in place of the sizes below (20 s). Each bench call writes
# its own JSON, so a call cut by its timeout loses only itself; the timeouts add up to 7 minutes.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$OLDPWD/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
bin/eddy devices
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
# 1. the table: 4 N × 4 member counts, fp32 then fp64, each case timed for ≥ 1 s after 10 warm-up steps
for p in fp32 fp64; do
  timeout $([[ $p == fp32 ]] && echo 120 || echo 150) bin/eddy bench --backend vulkan --members 1,16,64,256 --sizes 128,256,512,1024 \
    --precisions $p --warmup 10 --steps 10 --seconds 1 --repeats 5 --out "$B" --no-report --label "H200 ensembles rk4 C=2.4"
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
# 2. two evaluations per step, as jax-cfd's and PyTorch's ensembles take
timeout 90 bin/eddy bench --backend vulkan --members 1,16,64,256 --sizes 128,256,512 --precisions fp32 --stepper heun --cfl 1.5 \
  --warmup 10 --steps 10 --seconds 1 --repeats 5 --out "$B" --no-report --label "H200 ensembles heun C=1.5"
echo "elapsed $(( $(date +%s) - t0 )) s"
# 3. a real ensemble run: 64 members at 256² in fp32, snapshots of all members overlapped with the steps, checkpoint, ensemble.h5
timeout 60 bin/eddy ensemble --backend vulkan --n 256 --members 64 --precision fp32 --steps 2000 --snapshot-every 1000 \
  --diag-every 200 --out /tmp/ens --no-report --log-metrics 2>&1 | grep -vE "warning: member [0-9]+ .*see the first"
cp /tmp/ens/metrics.json "$OUT/ensemble-256x64-metrics.json"
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$B" && tar -czf "$OUT/bench.tgz" . && ls -la "$OUT"

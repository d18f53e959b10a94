#!/usr/bin/env bash
# H200 session 3, issue #14 (after session 2's descriptor-pool failure was fixed): (1) the issue's command,
# eddy pipeline --backend vulkan --n 1024 --k 16, twice (cold, then with the FFT plan and driver caches warm);
# (2) eddy bench pipeline at N = 1024, 2048, 4096 against the CPU LES of each N timed on all 16 host cores.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$OLDPWD/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
t0=$(date +%s)
for run in cold warm; do
  /usr/bin/time -v bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p1024-$run --log-metrics 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident|report"
  mkdir -p "$OUT/p1024-$run" && cp /tmp/p1024-$run/metrics.json /tmp/p1024-$run/horizon.csv /tmp/p1024-$run/report.md "$OUT/p1024-$run/"
  cp /tmp/p1024-$run/pictures/{eigenvalues,error_vs_lambda,error_vs_horizon,residual_fade,compare_0020}.png "$OUT/p1024-$run/" 2>/dev/null
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
B="$OUT/bench"; mkdir -p "$B"
bin/eddy bench pipeline --sizes 1024,2048,4096 --cpu-max-n 0 --sweep-n 1024 --strides 10 --ks 16 --precisions fp32 --k 16 \
  --compare-every 1 --cpu-les-seconds 10 --out "$B" --runs /tmp/bpruns --no-report --label "H200 session 3: GPU pipeline, end to end vs CPU LES"
echo "elapsed $(( $(date +%s) - t0 )) s"
for r in /tmp/bpruns/*; do mkdir -p "$OUT/runs/$(basename $r)"; cp $r/metrics.json $r/horizon.csv "$OUT/runs/$(basename $r)/" 2>/dev/null; done
ls -la "$OUT"

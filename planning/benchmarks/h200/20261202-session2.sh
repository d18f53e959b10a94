#!/usr/bin/env bash
# H200 session 2 (issue #14): the pipeline after the dual learn, the device verdict, the faded residual and the
# factored GPU rollout. (1) the command, eddy pipeline --backend vulkan --n 1024 --k 16 (before: 20.2 s wall,
# learn 14.3 s, compare 2.7 s); (2) learn at d = 4290 with 1001 snapshots (target ≤ 2 s); (3) eddy bench pipeline
# at N = 1024, 2048, 4096 with the CPU LES of each N timed on every host core (end-to-end speed-up; targets 20× at
# 1024, 100× at 4096).
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$OLDPWD/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
t0=$(date +%s)
/usr/bin/time -v bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p1024 --log-metrics 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident|report"
mkdir -p "$OUT/p1024" && cp /tmp/p1024/metrics.json /tmp/p1024/horizon.csv /tmp/p1024/report.md "$OUT/p1024/" && cp /tmp/p1024/pictures/{eigenvalues,error_vs_lambda,error_vs_horizon,residual_fade}.png "$OUT/p1024/" 2>/dev/null
echo "elapsed $(( $(date +%s) - t0 )) s"
/usr/bin/time -v bin/eddy pipeline --backend vulkan --n 1024 --k 32 --window 10000 --stride 10 --horizon 200 --compare-every 10 --out /tmp/p4290 --log-metrics --no-report 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident"
mkdir -p "$OUT/p4290" && cp /tmp/p4290/metrics.json /tmp/p4290/horizon.csv "$OUT/p4290/"
echo "elapsed $(( $(date +%s) - t0 )) s"
B="$OUT/bench"; mkdir -p "$B"
bin/eddy bench pipeline --sizes 1024,2048,4096 --cpu-max-n 0 --sweep-n 1024 --strides 10 --ks 16 --precisions fp32 --k 16 \
  --compare-every 1 --cpu-les-seconds 10 --out "$B" --runs /tmp/bpruns --no-report --label "H200 session 2: GPU pipeline, end to end vs CPU LES"
echo "elapsed $(( $(date +%s) - t0 )) s"
for r in /tmp/bpruns/*; do mkdir -p "$OUT/runs/$(basename $r)"; cp $r/metrics.json $r/horizon.csv "$OUT/runs/$(basename $r)/" 2>/dev/null; done
ls -la "$OUT"

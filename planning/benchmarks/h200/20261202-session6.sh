#!/usr/bin/env bash
# H200 session 6: (1) issue 15: the LES step with the complex-pair vector kernels (planning/les-speed.md §3), plain
# transforms, fp32 + fp64, every N, profiles; DNS; (2) issue 14: the pipeline after the planned verdicts (one
# submission per compared step), cold and warm; learn at d = 4290 with 1001 snapshots; the end-to-end bench.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
timeout 150 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, vector spectral kernels"
echo "elapsed $(( $(date +%s) - t0 )) s"
timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --cs 0 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 DNS, vector spectral kernels"
echo "elapsed $(( $(date +%s) - t0 )) s"
for run in cold warm; do
  rm -rf /tmp/p1024
  /usr/bin/time -v timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p1024 --log-metrics 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident|report"
  mkdir -p "$OUT/p1024-$run" && cp /tmp/p1024/metrics.json /tmp/p1024/horizon.csv "$OUT/p1024-$run/"
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
/usr/bin/time -v timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 32 --window 10000 --stride 10 --horizon 200 --compare-every 10 --out /tmp/p4290 --log-metrics --no-report 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident"
mkdir -p "$OUT/p4290" && cp /tmp/p4290/metrics.json /tmp/p4290/horizon.csv "$OUT/p4290/"
echo "elapsed $(( $(date +%s) - t0 )) s"
timeout 120 bin/eddy bench pipeline --sizes 1024,2048,4096 --cpu-max-n 0 --sweep-n 1024 --strides 10 --ks 16 --precisions fp32 --k 16 \
  --compare-every 1 --cpu-les-seconds 10 --out "$B" --runs /tmp/bpruns --no-report --label "H200 session 6: GPU pipeline, end to end vs CPU LES"
echo "elapsed $(( $(date +%s) - t0 )) s"
mkdir -p "$OUT/runs" && for r in /tmp/bpruns/*; do mkdir -p "$OUT/runs/$(basename $r)"; cp $r/metrics.json "$OUT/runs/$(basename $r)/"; done
# the device tool brings back a handful of files: everything but the log in one archive
cd "$OUT" && tar -czf all.tgz bench p1024-* p4290 runs devices.json && rm -rf bench p1024-* p4290 runs devices.json; ls -la "$OUT"

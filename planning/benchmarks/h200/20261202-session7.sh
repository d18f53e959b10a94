#!/usr/bin/env bash
# H200 session 7: (1) issue 14: the pipeline after the lane-reduced verdict kernels (cold, warm) and the end-to-end
# bench at 1024/4096; (2) issue 20's one-GPU row from the bundle with --devices all (256² × 256 members, 2000 steps;
# 1024² × 32, 400 steps), and its store against a --devices 0 run of the same members, byte for byte.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx96g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
for run in cold warm; do
  rm -rf /tmp/p1024
  timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p1024 --log-metrics 2>&1 | grep -E "verdict|done|learnt|warning"
  mkdir -p "$OUT/p1024-$run" && cp /tmp/p1024/metrics.json /tmp/p1024/horizon.csv "$OUT/p1024-$run/"
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
timeout 100 bin/eddy bench pipeline --sizes 1024,4096 --cpu-max-n 0 --sweep-n 1024 --strides 10 --ks 16 --precisions fp32 --k 16 \
  --compare-every 1 --cpu-les-seconds 10 --out "$B" --runs /tmp/bpruns --no-report --label "H200 session 7: GPU pipeline, end to end vs CPU LES"
echo "elapsed $(( $(date +%s) - t0 )) s"
for c in "256 256 2000" "1024 32 400"; do
  set -- $c
  for dev in all 0; do
    rm -rf /tmp/ens-$1-$dev
    /usr/bin/time -v timeout 100 bin/eddy ensemble --backend vulkan --devices $dev --n $1 --members $2 --precision fp32 --steps $3 \
      --snapshot-every $(( $3 / 2 )) --diag-every 100 --out /tmp/ens-$1-$dev --no-report --log-metrics 2>&1 \
      | grep -vE "warning: member [0-9]+ .*see the first" | grep -E "done|Elapsed|Maximum resident|error|devices"
    mkdir -p "$OUT/ens-$1-$dev" && cp /tmp/ens-$1-$dev/metrics.json "$OUT/ens-$1-$dev/"
    echo "elapsed $(( $(date +%s) - t0 )) s"
  done
  (cd /tmp/ens-$1-all && find . -type f ! -name metrics.json ! -name '*.log' ! -name 'report*' ! -path './pictures/*' | sort | while read f; do
     if cmp -s "$f" "/tmp/ens-$1-0/$f"; then echo "same $f"; else echo "DIFFERS $f"; fi; done) | sort | uniq -c -w 5 | head
  (cd /tmp/ens-$1-all && find . -type f ! -name metrics.json | sort | while read f; do cmp -s "$f" "/tmp/ens-$1-0/$f" || echo "differs: $f"; done) | head -5
done
cd "$OUT" && tar -czf all.tgz bench p1024-* ens-* devices.json && rm -rf bench p1024-* ens-* devices.json; ls -la "$OUT"

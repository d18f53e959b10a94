#!/usr/bin/env bash
# H200 session 4: (1) issue 15: the LES step with the dealiased transforms (default) against the plain ones
# (EDDY_FFT_DEALIAS=0), fp32 + fp64, every N, per-operation profiles; DNS; (2) issue 14 after: the issue's
# pipeline command (with the report: fonts now in the bundle), learn at d = 4290 with 1001 snapshots, the
# end-to-end bench at 1024/2048/4096; (3) issue 17: the bundle report checks of planning/h200-bundle-report.sh.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; nproc
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
bin/eddy devices --json > "$OUT/devices.json" || { export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; bin/eddy devices --json > "$OUT/devices.json"; }
B="$OUT/bench"; mkdir -p "$B"
t0=$(date +%s)
timeout 150 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32,fp64 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, dealiased transforms"
echo "elapsed $(( $(date +%s) - t0 )) s"
EDDY_FFT_DEALIAS=0 timeout 90 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 LES, plain transforms (A/B)"
echo "elapsed $(( $(date +%s) - t0 )) s"
timeout 60 bin/eddy bench --backend vulkan --sizes 256,512,1024,2048,4096,8192 --precisions fp32 --cs 0 --warmup 50 --steps 500 --repeats 5 --out "$B" --no-report --label "H200 rk4 C=2.4 DNS, dealiased transforms"
echo "elapsed $(( $(date +%s) - t0 )) s"
/usr/bin/time -v timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 16 --out /tmp/p1024 --log-metrics 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident|report"
mkdir -p "$OUT/p1024" && cp /tmp/p1024/metrics.json /tmp/p1024/horizon.csv /tmp/p1024/report.md "$OUT/p1024/" && cp /tmp/p1024/pictures/*.png "$OUT/p1024/" 2>/dev/null
echo "elapsed $(( $(date +%s) - t0 )) s"
/usr/bin/time -v timeout 60 bin/eddy pipeline --backend vulkan --n 1024 --k 32 --window 10000 --stride 10 --horizon 200 --compare-every 10 --out /tmp/p4290 --log-metrics --no-report 2>&1 | grep -E "verdict|done|learnt|warning|Elapsed|Maximum resident"
mkdir -p "$OUT/p4290" && cp /tmp/p4290/metrics.json /tmp/p4290/horizon.csv "$OUT/p4290/"
echo "elapsed $(( $(date +%s) - t0 )) s"
timeout 120 bin/eddy bench pipeline --sizes 1024,2048,4096 --cpu-max-n 0 --sweep-n 1024 --strides 10 --ks 16 --precisions fp32 --k 16 \
  --compare-every 1 --cpu-les-seconds 10 --out "$B" --runs /tmp/bpruns --no-report --label "H200 session 4: GPU pipeline, end to end vs CPU LES"
echo "elapsed $(( $(date +%s) - t0 )) s"
for r in /tmp/bpruns/*; do mkdir -p "$OUT/runs/$(basename $r)"; cp $r/metrics.json $r/horizon.csv "$OUT/runs/$(basename $r)/" 2>/dev/null; done
cd "$root" && mkdir -p dist && cp .carry/eddy-bundle-0.1.0.tar.xz dist/ && OUT="$OUT/bundle-report" timeout 90 bash planning/h200-bundle-report.sh
echo "elapsed $(( $(date +%s) - t0 )) s"
cd "$B" && tar -czf "$OUT/bench.tgz" . && ls -la "$OUT"

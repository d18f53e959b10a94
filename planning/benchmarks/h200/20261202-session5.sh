#!/usr/bin/env bash
# H200 session 5: issue 16's ensemble table (planning/ensembles-h200.sh) and issue 20's one-GPU row
# (eddy ensemble at 256² × 256 members and 1024² × 32, fp32: member-steps/s and the time outside the GPU).
# The plain transforms (EDDY_FFT_DEALIAS=0): session 4 measured VkFFT's zero padding slower from N = 512 up.
set -uo pipefail
export EDDY_FFT_DEALIAS=0
root=$PWD
bash planning/ensembles-h200.sh
exec >> "$OUT/log.txt" 2>&1
cd /tmp/eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx64g
[[ -n "${VK_DRIVER_FILES:-}" ]] || bin/eddy devices >/dev/null 2>&1 || export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
t0=$(date +%s)
for c in "256 256 2000" "1024 32 400"; do
  set -- $c
  /usr/bin/time -v timeout 90 bin/eddy ensemble --backend vulkan --n $1 --members $2 --precision fp32 --steps $3 --snapshot-every $(( $3 / 2 )) \
    --diag-every 100 --out /tmp/ens20-$1 --no-report --log-metrics 2>&1 | grep -vE "warning: member [0-9]+ .*see the first" | grep -E "member-steps|done|Elapsed|Maximum resident|error|wrote"
  cp /tmp/ens20-$1/metrics.json "$OUT/ensemble20-$1x$2-metrics.json"
  echo "elapsed $(( $(date +%s) - t0 )) s"
done
ls -la "$OUT"

#!/usr/bin/env bash
# H200 session 8: issue 20's one-GPU row again after the appended ensemble store (ensemble.zarr instead of
# ensemble.h5 rebuilt at each checkpoint): 256² × 256 members (2000 steps) and 1024² × 32 (400 steps), fp32,
# --devices all against --devices 0, store files compared byte for byte.
set -uo pipefail
exec > >(tee "$OUT/log.txt") 2>&1
date -u; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
root=$PWD
cd /tmp && rm -rf eddy-0.1.0 && tar -xJf "$root/.carry/eddy-bundle-0.1.0.tar.xz" && cd eddy-0.1.0
export EDDY_CACHE=/tmp/eddycache EDDY_JAVA_OPTS=-Xmx96g
bin/eddy devices >/dev/null 2>&1 || export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
t0=$(date +%s)
for c in "256 256 2000" "1024 32 400"; do
  set -- $c
  for dev in all 0; do
    rm -rf /tmp/ens-$1-$dev
    /usr/bin/time -v timeout 100 bin/eddy ensemble --backend vulkan --devices $dev --n $1 --members $2 --precision fp32 --steps $3 \
      --snapshot-every $(( $3 / 2 )) --diag-every 100 --out /tmp/ens-$1-$dev --no-report --log-metrics 2>&1 \
      | grep -vE "warning: member [0-9]+ .*see the first" | grep -E "done|Elapsed|Maximum resident|error"
    mkdir -p "$OUT/ens-$1-$dev" && cp /tmp/ens-$1-$dev/metrics.json "$OUT/ens-$1-$dev/"
    echo "elapsed $(( $(date +%s) - t0 )) s"
  done
  n=0; bad=0
  while read f; do n=$((n+1)); cmp -s "/tmp/ens-$1-all/$f" "/tmp/ens-$1-0/$f" || { bad=$((bad+1)); echo "differs: $f"; }; done \
    < <(cd /tmp/ens-$1-all && find . -type f ! -name metrics.json | sort)
  echo "N=$1: $n files compared, $bad differ; $(du -sh /tmp/ens-$1-all/ensemble.zarr | cut -f1) store"
done
cd "$OUT" && tar -czf all.tgz ens-* && rm -rf ens-*; ls -la "$OUT"

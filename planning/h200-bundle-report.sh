#!/usr/bin/env bash
# The H200 proof of issue 17: the bundle, unpacked on the bare GPU node, makes the report of a run and
# of a pipeline (fonts from the bundle where the host has none), and the run directory opens in Python.
# For the lead, through the device tool, from the repository root after scripts/make-bundle.sh:
#     run(command="bash planning/h200-bundle-report.sh", carry=["dist"], kind="nvidia-h200", timeout_s=600)
# Everything it shows comes back under $OUT: the host's font situation, the logs, both reports (HTML with
# the pictures embedded, markdown, PNGs) and a summary line per check. Exit 0 only if every check passed.
set -uo pipefail
out="${OUT:-/tmp/eddy-h200-proof}"
mkdir -p "$out"
bundle="$(ls dist/eddy-bundle-*.tar.xz 2>/dev/null | head -1)"
[[ -n "$bundle" ]] || { echo "no dist/eddy-bundle-*.tar.xz: run scripts/make-bundle.sh and carry dist" | tee "$out/summary.txt"; exit 1; }
work="$(mktemp -d)"
tar -C "$work" -xJf "$bundle"
eddy="$(ls -d "$work"/eddy-*/bin/eddy)"
export EDDY_CACHE="$work/cache"
fails=0
check() { # name, command...
  local name="$1"; shift
  if "$@" >>"$out/$name.log" 2>&1; then echo "PASS $name" | tee -a "$out/summary.txt"; else echo "FAIL $name" | tee -a "$out/summary.txt"; fails=$((fails + 1)); fi
}
{
  echo "fc-list: $(command -v fc-list || echo absent)"; fc-list 2>&1 | wc -l
  echo "host libfontconfig: $(/sbin/ldconfig -p 2>/dev/null | grep -c 'libfontconfig\.so\.1 ')"
  ls /usr/share/fonts 2>&1 | head
  nvidia-smi --query-gpu=name,driver_version --format=csv 2>&1
} > "$out/host-fonts.txt"

check devices "$eddy" devices --json
check run "$eddy" run --backend vulkan --n 1024 --precision fp32 --kp 20 --steps 600 --snapshot-dt 0.01 --log-metrics \
  --out "$work/run"
check run-report-made bash -c "test -s '$work/run/report.html' && ! grep -q 'could not be made' '$out/run.log'"
check report-command "$eddy" report "$work/run" --no-video
check pipeline "$eddy" pipeline --backend vulkan --n 512 --k 16 --log-metrics --out "$work/pipe"
check pipeline-report-made bash -c "test -s '$work/pipe/report.html' && ! grep -q 'could not be made' '$out/pipeline.log'"
if command -v python3 >/dev/null && python3 -c "import xarray, zarr" 2>/dev/null; then
  check python python3 -c "import sys; sys.path.insert(0, '$(dirname "$eddy")/../python'); import eddy_io; ds = eddy_io.open_run('$work/run'); print(ds); assert ds.sizes['time'] > 1"
else
  echo "SKIP python (no xarray/zarr on the node)" | tee -a "$out/summary.txt"
fi
mkdir -p "$out/run" "$out/pipeline"
cp -r "$work/run/report.html" "$work/run/report.md" "$work/run/pictures" "$work/run/metrics.json" "$work/run/config.json" "$out/run/" 2>/dev/null
cp -r "$work/pipe/report.html" "$work/pipe/report.md" "$work/pipe/pictures" "$work/pipe/metrics.json" "$work/pipe/horizon.csv" "$out/pipeline/" 2>/dev/null
echo "failed checks: $fails" | tee -a "$out/summary.txt"
exit $((fails > 0))

#!/usr/bin/env bash
# Compiles every GLSL compute shader src/main/glsl/*.comp to SPIR-V twice, once per precision, from
# the one source: -DREAL=float -> <name>_f32.spv, -DREAL=double (-DREAL_IS_DOUBLE) -> <name>_f64.spv.
# Maven runs it in generate-resources: build/compile-shaders.sh <glsl dir> <out dir>.
# Only shaders whose SPIR-V is older than the source (or this script) are recompiled.
set -euo pipefail
src="$1"; out="$2"
mkdir -p "$out"
command -v glslangValidator >/dev/null || { echo "compile-shaders: glslangValidator not found (Debian: glslang-tools; run scripts/setup.sh)" >&2; exit 1; }
shopt -s nullglob
for comp in "$src"/*.comp; do
  name="$(basename "$comp" .comp)"
  for p in f32 f64; do
    spv="$out/${name}_${p}.spv"
    if [[ "$spv" -nt "$comp" && "$spv" -nt "$0" ]]; then continue; fi
    if [[ $p == f32 ]]; then defs=(-DREAL=float -DREAL_BYTES=4); else defs=(-DREAL=double -DREAL_BYTES=8 -DREAL_IS_DOUBLE=1); fi
    glslangValidator --quiet --target-env vulkan1.1 -S comp "${defs[@]}" -o "$spv" "$comp" >&2
  done
done

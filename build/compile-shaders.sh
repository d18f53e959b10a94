#!/usr/bin/env bash
# Compiles every GLSL compute shader under src/main/glsl (any depth, *.comp) to SPIR-V twice, once per
# precision, from the one source:
#   -DREAL=float             -> <name>_f32.spv
#   -DREAL=double -DREAL64   -> <name>_f64.spv
# Shared per-point math lives in *.glsl files beside the shaders (#include, GL_GOOGLE_include_directive).
# Maven runs it in generate-resources: build/compile-shaders.sh <glsl dir> <out dir> (names are flat, so
# shader base names must be unique). A shader is recompiled when it, a .glsl beside it, or this script
# is newer than its SPIR-V.
set -euo pipefail
src="$1"; out="$2"
mkdir -p "$out"
command -v glslangValidator >/dev/null || { echo "compile-shaders: glslangValidator not found (Debian: glslang-tools; run scripts/setup.sh)" >&2; exit 1; }
declare -A seen=()
while IFS= read -r -d '' comp; do
  name="$(basename "$comp" .comp)"
  if [[ -n "${seen[$name]:-}" ]]; then
    echo "compile-shaders: two shaders named $name ($comp, ${seen[$name]})" >&2; exit 1
  fi
  seen[$name]="$comp"
  dir="$(dirname "$comp")"
  for p in f32 f64; do
    spv="$out/${name}_${p}.spv"
    fresh=1
    for dep in "$comp" "$0" "$dir"/*.glsl; do
      [[ -e "$dep" && ! "$spv" -nt "$dep" ]] && fresh=0
    done
    ((fresh)) && continue
    if [[ $p == f32 ]]; then defs=(-DREAL=float); else defs=(-DREAL=double -DREAL64); fi
    glslangValidator --quiet --target-env vulkan1.1 -S comp "${defs[@]}" -I"$dir" -o "$spv" "$comp" >&2
  done
done < <(find "$src" -name '*.comp' -print0 | sort -z)

#!/usr/bin/env bash
# Makes dist/eddy-bundle-<version>.tar.xz: a self-contained Eddy for linux-x86-64 hosts that have only
# a GPU driver (no Java, no Maven):
#   runtime/      a jlink'ed Java 25 (only the modules jdeps finds, no debug info, no man pages; xz-compressed)
#   lib/          eddy.jar (with the VkFFT bridge and the SPIR-V inside) + dependency jars (linux natives only)
#   lib/native/   Debian's Vulkan loader libvulkan.so.1, used only when the host has none (bin/eddy decides)
#   bin/eddy      the launcher;  config/  the presets;  python/  eddy_io.py
#   fonts/        DejaVu fonts (Debian's fonts-dejavu-core), also in runtime/lib/fonts, and lib/native holds
#                 fontconfig and its libraries: the report's pictures need fonts, and a GPU node may have none
# Usage: scripts/make-bundle.sh [--skip-build] [--no-vulkan-loader]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/find-java.sh"
build=1; loader=1
for a in "$@"; do
  case "$a" in
    --skip-build) build=0 ;;
    --no-vulkan-loader) loader=0 ;;
    *) echo "make-bundle: unknown option $a" >&2; exit 2 ;;
  esac
done

java="$(eddy_find_java)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
[[ -x "$JAVA_HOME/bin/jlink" ]] || { echo "make-bundle: $JAVA_HOME has no jlink (a JDK 25 is needed, not a JRE)" >&2; exit 1; }
version="$(sed -n '0,/<artifactId>eddy<\/artifactId>/d; s:.*<version>\(.*\)</version>.*:\1:p' "$here/pom.xml" | head -1)"
cd "$here"
if ((build)); then
  rm -rf target/lib   # copy-dependencies never removes jars of an older dependency set
  mvn -q -B package -DskipTests
fi
[[ -f target/eddy.jar ]] || { echo "make-bundle: target/eddy.jar missing (run without --skip-build)" >&2; exit 1; }

name="eddy-$version"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/lib" "$root/bin"

# Modules: what jdeps sees in Eddy and its dependencies, plus jdk.unsupported (LWJGL's sun.misc.Unsafe)
# (jdeps does not report it from the jars). --ignore-missing-deps: optional deps of jhdf/commons are absent.
modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  target/eddy.jar target/lib/*.jar | tail -1)"
[[ ",$modules," == *,jdk.unsupported,* ]] || modules="$modules,jdk.unsupported"
echo "make-bundle: modules $modules" >&2
# The module image is stored uncompressed (zip-0) and the whole bundle is xz'ed: measured here, the runtime
# then weighs 21 MB in the tarball against 34.5 MB with jlink's zip-9 (xz cannot shrink zip'ed modules).
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-0 --output "$root/runtime"

cp target/eddy.jar "$root/lib/"
cp target/lib/*.jar "$root/lib/"
# no dependency with a published CVE (planning/cve-denylist.txt: a jar-name pattern and its advisories per line)
while IFS=$'\t' read -r pattern advisory; do
  [[ -z "$pattern" || "$pattern" == \#* ]] && continue
  for jar in "$root"/lib/*.jar; do
    if [[ "$(basename "$jar")" =~ ^${pattern}$ ]]; then
      echo "make-bundle: $(basename "$jar") has published CVEs ($advisory)" >&2; exit 1
    fi
  done
done < planning/cve-denylist.txt
if ls "$root"/lib/*natives-{windows,macos,freebsd}* >/dev/null 2>&1; then
  echo "make-bundle: non-linux natives in lib/" >&2; exit 1
fi
if ((loader)); then
  # Debian's Vulkan loader, and glvnd's libEGL.so.1 + libGLdispatch.so.0, which NVIDIA's Vulkan ICD
  # (libGLX_nvidia.so.0) needs. A host with only the driver may lack all three: measured on the H100
  # test host, vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER with the loader alone and with
  # the loader + libGLdispatch, and found the GPU once libEGL + libGLdispatch were on the library path
  # (planning/gpu-engine.md). bin/eddy uses them only where the host has none.
  mkdir -p "$root/lib/native"
  for lib in libvulkan.so.1 libEGL.so.1 libGLdispatch.so.0; do
    so="$(readlink -f /usr/lib/x86_64-linux-gnu/$lib 2>/dev/null || true)"
    if [[ -f "$so" ]]; then
      cp "$so" "$root/lib/native/$lib"
    else
      echo "make-bundle: no system $lib to copy (Debian: libvulkan1, libegl1, libglvnd0): the host must have it" >&2
    fi
  done
fi
# Fonts for the report on hosts without any (the H100 host: "Fontconfig head is null"): DejaVu in fonts/
# (bin/eddy points fontconfig at them beside the host's own) and in the runtime's lib/fonts (the JDK's
# fallback without fontconfig), and fontconfig with the libraries it loads, for hosts that lack them.
mkdir -p "$root/fonts" "$root/runtime/lib/fonts"
for f in DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf DejaVuSerif.ttf; do
  src="/usr/share/fonts/truetype/dejavu/$f"
  [[ -f "$src" ]] || { echo "make-bundle: $src missing (Debian: fonts-dejavu-core)" >&2; exit 1; }
  cp "$src" "$root/fonts/" && cp "$src" "$root/runtime/lib/fonts/"
done
cp /usr/share/fonts/truetype/dejavu/LICENSE "$root/fonts/LICENSE" 2>/dev/null \
  || cp /usr/share/doc/fonts-dejavu-core/copyright "$root/fonts/LICENSE"
if ((loader)); then
  for lib in libfontconfig.so.1 libfreetype.so.6 libexpat.so.1 libpng16.so.16 libbrotlidec.so.1 libbrotlicommon.so.1 libuuid.so.1; do
    so="$(readlink -f /usr/lib/x86_64-linux-gnu/$lib 2>/dev/null || true)"
    [[ -f "$so" ]] && cp "$so" "$root/lib/native/$lib" || echo "make-bundle: no system $lib to copy (fonts then rely on the host)" >&2
  done
fi
cp bin/eddy "$root/bin/"
cp -r config "$root/config"
mkdir -p "$root/python" && cp python/eddy_io.py "$root/python/"
cat > "$root/README.txt" <<TXT
Eddy $version (linux-x86-64). Needs only a Vulkan driver on the host (NVIDIA's, or Mesa's lavapipe).
  bin/eddy devices                      # list Vulkan devices and the one Eddy uses
  bin/eddy run --n 256 --steps 100 --out runs/a
  bin/eddy bench --fft --sizes 1024,2048,4096 --precisions fp32,fp64 --batches 1,6
Environment: EDDY_CACHE (default ~/.cache/eddy: extracted bridge, VkFFT kernel cache),
EDDY_JAVA_OPTS (e.g. -Xmx64g), EDDY_VK_VALIDATION=1, EDDY_DEBUG=1.
fonts/ (DejaVu) lets the report draw its pictures on a host without fonts; python/eddy_io.py opens the
outputs in Python (NumPy, xarray).
lib/native holds Debian's Vulkan loader and glvnd's libEGL + libGLdispatch (NVIDIA's Vulkan driver
needs them), used only where the host has none.
TXT

mkdir -p dist
out="dist/eddy-bundle-$version.tar.xz"
tar -C "$stage" -cf - "$name" | xz -T0 -9 > "$out.tmp"
mv "$out.tmp" "$out"
size=$(stat -c %s "$out")
echo "make-bundle: $out ($((size / 1024 / 1024)) MB, $size bytes)"
if ((size >= 60 * 1024 * 1024)); then
  echo "make-bundle: bundle is over 60 MB" >&2; exit 1
fi

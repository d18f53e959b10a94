# Sourced by Eddy's scripts: eddy_find_java prints the path of a Java 25+ `java`, or explains and fails.
# Order: $JAVA_HOME, then the JDKs under /usr/lib/jvm (Temurin 25 first), then `java` on PATH.
eddy_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

eddy_find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [[ -x "$d/bin/java" ]] && candidates+=("$d/bin/java")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local c major
  for c in "${candidates[@]}"; do
    major="$(eddy_java_major "$c")"
    if [[ -n "$major" && "$major" -ge 25 ]]; then
      echo "$c"
      return 0
    fi
  done
  echo "eddy: no Java 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/*, PATH)." >&2
  echo "      Install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

# Sourced by ./mvnw, ./netsnap and ./test: netsnap needs JDK 21+ (the embedded Zeebe engine is Java 21 bytecode).
# Keeps JAVA_HOME when it already points at 21+; otherwise picks the newest JDK 21+ under /usr/lib/jvm.
netsnap_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
netsnap_select_jdk() {
  local current="${JAVA_HOME:-}"
  if [ -z "$current" ] && command -v java >/dev/null 2>&1; then
    current=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  if [ -n "$current" ] && [ -x "$current/bin/java" ] && [ "$(netsnap_java_major "$current")" -ge 21 ] 2>/dev/null; then
    export JAVA_HOME="$current"; return 0
  fi
  local best="" best_major=0 jdk major
  # find, not a glob: ./mvnw runs with globbing off (set -f)
  for jdk in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort); do
    [ -x "$jdk/bin/javac" ] || continue
    major=$(netsnap_java_major "$jdk")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$jdk; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "netsnap needs a JDK 21 or newer; none found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm)." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
netsnap_select_jdk

# Sourced (POSIX sh) by bin/mirari and ./mvnw: makes JAVA_HOME point at a JDK whose feature
# version is 25 or newer, because the default `java` on many machines (Debian 12's) is 17.
# Order: $JAVA_HOME when it is 25+, else the newest 25+ JDK under /usr/lib/jvm (or the
# directory $MIRARI_JDK_SEARCH_PATH), else an error that names every JDK it saw.

mirari_jdk_feature() {  # prints the feature version of the JDK at $1, or nothing
  _v=
  [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    _v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  fi
  [ -n "$_v" ] || _v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  printf '%s' "$_v"
}

mirari_find_jdk() {
  _want=25 _seen= _best= _best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    _jv=$(mirari_jdk_feature "$JAVA_HOME")
    if [ -n "$_jv" ] && [ "$_jv" -ge "$_want" ]; then return 0; fi
    _seen="$_seen
  JAVA_HOME=$JAVA_HOME (${_jv:-not a JDK})"
  fi
  for _home in "${MIRARI_JDK_SEARCH_PATH:-/usr/lib/jvm}"/*; do
    [ -d "$_home" ] && [ ! -L "$_home" ] || continue
    _jv=$(mirari_jdk_feature "$_home")
    [ -n "$_jv" ] || continue
    _seen="$_seen
  $_home (feature version $_jv)"
    if [ "$_jv" -ge "$_want" ] && [ "$_jv" -gt "$_best_v" ]; then _best=$_home; _best_v=$_jv; fi
  done
  if [ -z "$_best" ]; then
    {
      echo "mirari: no JDK $_want or newer found; Mirari needs one to build and run apps."
      echo "JDKs seen:${_seen:- none under ${MIRARI_JDK_SEARCH_PATH:-/usr/lib/jvm}}"
      echo "fix: install a JDK $_want (e.g. Temurin $_want) under /usr/lib/jvm, or set JAVA_HOME to one."
    } >&2
    return 1
  fi
  JAVA_HOME=$_best
  export JAVA_HOME
}

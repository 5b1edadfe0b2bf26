# Sourced by scripts/*: the project root, Java 25 for Maven, and a progress printer.
set -euo pipefail
DPUVIRT_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$DPUVIRT_HOME/libexec/find-java"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

use_java25() {
    local java
    java=$(dpuvirt_java) || { echo "dpuvirt needs Java 25: Temurin at /usr/lib/jvm/temurin-25-jdk-amd64 (or set DPUVIRT_JAVA)" >&2; exit 1; }
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")")
    export JAVA_HOME
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

mvn_quiet() { mvn -B -ntp -q "$@"; }

# testbed_up NAME: brings a benchmark's test bed up and prints its link's MTU (LINK_MTU chooses another than 65535,
# LINK_CC another TCP congestion control than cubic, e.g. bbr: this machine's default)
testbed_up() {
    "$DPUVIRT_HOME/bin/dpuvirt" testbed up "$1" ${LINK_MTU:+--mtu "$LINK_MTU"} ${LINK_CC:+--congestion-control "$LINK_CC"} \
        | sed -n 's/.*, link MTU \([0-9]*\)$/\1/p'
}

#!/usr/bin/env bash
# Builds the jar and the test classes, then runs the benchmark driver (dev.orchat.bench.Bench), which hosts the
# fake upstream, starts the jar as a child process and prints/writes the report.
# Usage: bench/run.sh [quick] [uploads|catalog|ttft|resume|instances|concurrent]   (JAVA17_HOME / JAVA25_HOME override the JDKs;
# "uploads" runs only scenario 7, "catalog" only scenario 8, "ttft" scenarios 1 and 4, "openai" only scenario 1
# with /v1/chat/completions, "concurrent" only scenario 3)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA17_HOME=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p bench/results target

if [ "${SKIP_BUILD:-}" != 1 ]; then
  # One build at a time on this machine: the lock is shared with other worktrees.
  flock /tmp/orchat-maven.lock ./mvnw -o -q package -DskipTests
  flock /tmp/orchat-maven.lock ./mvnw -o -q test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi

ulimit -n 20000 2>/dev/null || true
exec "$JAVA17_HOME/bin/java" -Xss512k -Xmx1g \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.orchat.bench.Bench target/orchat.jar bench/bench-config.yml "$JAVA17_HOME" "$JAVA25_HOME" \
  bench/results/latest.md "$@"

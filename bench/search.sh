#!/usr/bin/env bash
# Search benchmark (docs/performance.md "Search"): generates a history into a temp SQLite file through the real
# migrations and measures query latency and the index's cost per message insert.
# Usage: bench/search.sh [sessions] [messagesPerSession]   (default 10000 100 = 1,000,000 messages)
# PostgreSQL: BENCH_DATABASE_URL=jdbc:postgresql://host:port/emptydb?user=… bench/search.sh …
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA17_HOME=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
if [ "${SKIP_BUILD:-}" != 1 ]; then
  flock /tmp/orchat-maven.lock ./mvnw -B -q test-compile dependency:build-classpath -Dskip.ui \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
exec "$JAVA17_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.orchat.bench.SearchBench "$@"

#!/usr/bin/env bash
# Time text extraction from a generated 100-page PDF (~300 words a page) with the content adapter:
# median of several warm runs, one run with page images, and the peak heap.
# Usage: bench/extract-pdf.sh [runs] [pages] [words-per-page]   (env HEAP, default 256m)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${JAVA_HOME:-}" ]; then JAVA_HOME="$(./sentx java-home 2>/dev/null || true)"; fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -ntp -q -o -pl core-domain install -DskipTests
mvn -B -ntp -q -o -pl adapters-content test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="adapters-content/target/test-classes:adapters-content/target/classes:$(cat adapters-content/target/bench.classpath)"
exec "$java" -Xmx"${HEAP:-256m}" -Djava.awt.headless=true -cp "$cp" ai.sentx.content.ExtractPdfBench "$@"

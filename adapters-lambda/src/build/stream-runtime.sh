#!/usr/bin/env bash
# Builds target/stream, the content of the streaming function's zip (run by `mvn package`):
#   runtime/         a jlink'd runtime of the build JDK (its OS and architecture: linux x86_64 here)
#   app/*.jar        the application and its runtime dependencies, and app/classpath listing them
#   app/app.jsa      the dynamic CDS archive recorded by a training run (ai.sentx.lambda.Warmup)
#   bootstrap        what Lambda starts
# Arguments: JAVA_HOME of the build JDK, the target directory, the module's jar, the jlink modules.
set -euo pipefail
java_home="$1"; target="$2"; app_jar="$3"; modules="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "stream-runtime: $jlink not found: build with a full JDK (21+)" >&2; exit 1; }
out="$target/stream"
rm -rf "$out"
mkdir -p "$out/app/lib"

"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$out/runtime" 2>/dev/null \
  || "$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
       --compress=2 --output "$out/runtime"

cp "$app_jar" "$out/app/sentx-lambda.jar"
cp "$target"/stream-jars/*.jar "$out/app/lib/"
# A fixed modification time: the CDS archive records each jar's, and a rebuild then stays valid.
find "$out/app" -name '*.jar' -exec touch -d '2020-01-01T00:00:00Z' {} +
(cd "$out" && { echo app/sentx-lambda.jar; ls app/lib/*.jar | LC_ALL=C sort; } | paste -sd: -) > "$out/app/classpath"

cp "$here/bootstrap" "$out/bootstrap"
chmod 755 "$out/bootstrap"

# Training run: the JVM writes the classes it loaded to app/app.jsa at exit.
marker="$target/stream-warmup.ok"
rm -f "$marker"
(cd "$out" && runtime/bin/java -XX:ArchiveClassesAtExit=app/app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
   -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$(cat app/classpath)" ai.sentx.lambda.Warmup "$marker" >/dev/null)
[ -f "$marker" ] && [ -s "$out/app/app.jsa" ] || { echo "stream-runtime: the CDS training run failed" >&2; exit 1; }
# Only used with heaps over 32 GB (no compressed oops): never on Lambda.
rm -f "$out/runtime/lib/server/classes_nocoops.jsa"
echo "stream-runtime: $(du -sh "$out" | cut -f1) in $out (runtime $(du -sh "$out/runtime" | cut -f1), archive $(du -h "$out/app/app.jsa" | cut -f1))"

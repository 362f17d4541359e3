#!/usr/bin/env bash
# Peak Java heap while the local server takes 25 MB uploads. Starts the packaged server with a
# small heap cap (SENTX_UPLOAD_HEAP, default 96m) and GC logging, uploads a few 25 MB files
# (different bytes: each is hashed, format-checked, scanned and stored), downloads one back,
# then reads the GC log: the largest "before" occupancy of any collection is the peak heap in
# use. That the uploads succeed under the cap is the point: no 25 MB array is held.
#   bash bench/upload-heap.sh [uploads=5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
uploads="${1:-5}"
heap="${SENTX_UPLOAD_HEAP:-96m}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
key="sk-benchKey_notASecret_0123456789abcdefghijklmn"
work="$(mktemp -d)"
java_home="$(./sentx java-home)"
jar=local-server/target/sentx-local-server.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }

SENTX_PORT="$port" SENTX_DEMO_API_KEY="$key" SENTX_REQUESTS_PER_MINUTE=100000 \
  "$java_home/bin/java" -XX:+UseSerialGC -Xmx"$heap" -Xlog:gc:file="$work/gc.log" -jar "$jar" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.05
done
sleep 1

for i in $(seq 1 "$uploads"); do
  python3 - "$work/f$i.csv" "$i" <<'PY'
import sys
row = b"2026-11-29,sensor-%d,21.5,ok\n" % int(sys.argv[2])
size = 25 * 1024 * 1024
with open(sys.argv[1], "wb") as f:
    f.write((row * (size // len(row) + 1))[:size])
PY
  t0=$(date +%s%N)
  code=$(curl -s -o "$work/up$i.json" -w '%{http_code}' "http://127.0.0.1:$port/v1/files" \
    -H "Authorization: Bearer $key" -F purpose=assistants -F "file=@$work/f$i.csv")
  t1=$(date +%s%N)
  [ "$code" = 200 ] || { echo "upload $i: HTTP $code $(cat "$work/up$i.json")" >&2; exit 1; }
  echo "upload_${i}_ms=$(( (t1 - t0) / 1000000 ))"
done
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/up1.json")"
curl -fs -o "$work/back.csv" "http://127.0.0.1:$port/v1/files/$id/content" -H "Authorization: Bearer $key"
cmp -s "$work/back.csv" "$work/f1.csv" && echo "content_round_trip=ok"

peak="$(awk '/Pause/ { if (match($0, /[0-9]+M->/)) { v = substr($0, RSTART, RLENGTH - 3) + 0; if (v > m) m = v } } END { print m + 0 }' "$work/gc.log")"
echo "heap_cap=$heap"
echo "peak_heap_in_use_mb=$peak"
echo "collections=$(grep -c Pause "$work/gc.log" || true)"

#!/usr/bin/env bash
# Regenerates ../captured/<name>.log and <name>.labels by logging one script of records
# through real logging libraries: the .log is what the library printed, the .labels the
# SeverityText each of its lines must get ("-": none). Not part of the tests: the captured
# files are the test data. Needs go, python3, node and npm (pino, winston, bunyan are
# installed into a temporary directory), java, and ruby from Debian (installed here if
# missing). With names as arguments, captures only those.
set -euo pipefail
cd "$(dirname "$0")"
out=$(cd ../captured && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
only=("$@")

want() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

run() { # name command... (the command writes the labels to $out/<name>.labels)
  local name=$1; shift
  want "$name" || return 0
  "$@" >"$out/$name.log" 2>&1 # one stream, as a container runtime keeps it
  [ "$(wc -l <"$out/$name.log")" -eq "$(wc -l <"$out/$name.labels")" ] || { echo "$name: lines and labels differ" >&2; exit 1; }
  echo "captured $name ($(wc -l <"$out/$name.log") lines)"
}

for f in basic bracketed json; do run "python_$f" python3 pylogging.py "$f" "$out/python_$f.labels"; done

(cd goslog && go build -o "$tmp/goslog" .)
(cd gozap && go build -o "$tmp/gozap" .)
(cd goklog && go build -o "$tmp/goklog" .)
run go_slog_text "$tmp/goslog" text "$out/go_slog_text.labels"
run go_slog_json "$tmp/goslog" json "$out/go_slog_json.labels"
run go_zap_json "$tmp/gozap" json "$out/go_zap_json.labels"
run go_zap_console "$tmp/gozap" console "$out/go_zap_console.labels"
run go_klog "$tmp/goklog" "$out/go_klog.labels"

(cd "$tmp" && npm init -y >/dev/null && npm install --silent pino@9 winston@3 bunyan@1 >/dev/null)
for lib in pino bunyan winston-json winston-simple; do
  run "node_${lib//-/_}" env NODE_PATH="$tmp/node_modules" node nodelog.js "$lib" "$out/node_${lib//-/_}.labels"
done

javac -d "$tmp" Jul.java
run java_jul_two_line java -cp "$tmp" Jul two-line "$out/java_jul_two_line.labels"
run java_jul_one_line java -Djava.util.logging.SimpleFormatter.format='%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n' \
  -cp "$tmp" Jul one-line "$out/java_jul_one_line.labels"

command -v ruby >/dev/null || { apt-get install -y -qq ruby >/dev/null; }
run ruby_logger ruby logger.rb "$out/ruby_logger.labels"

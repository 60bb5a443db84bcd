#!/usr/bin/env bash
# Regenerates ../captured/{tuning,heldout}/: the values of each set (values.py writes
# <set>.labels: every secret by type and every harmless look-alike by kind) logged through
# real runtimes and their libraries, one .log per program. Tuning: Python's logging and
# bash's -x trace. Held out of tuning: Node (util.inspect, JSON.stringify), Ruby (Logger,
# Hash#inspect, Shellwords) and Java (java.util.logging, Map and record toString). Not part
# of the tests: the captured files are the test data. Needs python3, bash, node, java, and
# ruby from Debian (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")"
out=$(mkdir -p ../captured/tuning ../captured/heldout && cd ../captured && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases=550 # 50 of each of the 11 categories per set

python3 values.py tuning 1 $cases "$tmp/tuning.json" "$out/tuning.labels"
python3 pyapp.py "$tmp/tuning.json" >"$out/tuning/python_logging.log"
python3 shtrace.py "$tmp/tuning.json" >"$tmp/trace.sh"
bash -x "$tmp/trace.sh" >"$out/tuning/bash_trace.log" 2>&1

python3 values.py heldout 2 $cases "$tmp/heldout.json" "$out/heldout.labels"
node nodeapp.js "$tmp/heldout.json" >"$out/heldout/node_console.log" 2>&1
command -v ruby >/dev/null || { apt-get install -y -qq ruby >/dev/null; }
ruby RubyApp.rb "$tmp/heldout.json" >"$out/heldout/ruby_logger.log"
javac -d "$tmp" JavaApp.java
java -cp "$tmp" JavaApp "$tmp/heldout.json" >"$out/heldout/java_jul.log"
wc -l "$out"/*/*.log "$out"/*.labels

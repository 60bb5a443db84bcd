#!/usr/bin/env bash
# Regenerates ../fixtures/*.log by running each program in its real runtime and capturing
# stdout and stderr into one file, as a container runtime does. Not part of the tests:
# the captured files are the test data. Needs go, java, python3, node, rustc (and ruby).
set -euo pipefail
cd "$(dirname "$0")"
out=../fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

run() { # name command...
  local name=$1; shift
  "$@" >"$out/$name.log" 2>&1 || true
  echo "captured $name ($(wc -l <"$out/$name.log") lines)"
}

(cd gopanic && go build -o "$tmp/gopanic" .) && run go_panic "$tmp/gopanic"
(cd gofatal && go build -o "$tmp/gofatal" .) && GOTRACEBACK=all run go_fatal_all "$tmp/gofatal"
javac -d "$tmp" Uncaught.java Logged.java
run java_uncaught java -cp "$tmp" Uncaught
run java_logged java -cp "$tmp" Logged
run python_chained python3 chained.py
run python_logging_exception python3 logged.py
run node_uncaught node uncaught.js
run node_logged node logged.js
rustc -g -o "$tmp/panic" panic.rs && RUST_BACKTRACE=1 run rust_panic "$tmp/panic"
if command -v ruby >/dev/null; then run ruby_uncaught ruby uncaught.rb; fi

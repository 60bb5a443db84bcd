#!/usr/bin/env bash
# Regenerates ../fixtures/*.log by running each program in its real runtime and capturing
# stdout and stderr into one file, as a container runtime does. Not part of the tests:
# the captured files are the test data. Needs go, java, python3, node, rustc (and ruby).
# With fixture names as arguments, captures only those.
set -euo pipefail
cd "$(dirname "$0")"
out=../fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
only=("$@")

want() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

run() { # name command...
  local name=$1; shift
  want "$name" || return 0
  "$@" >"$out/$name.log" 2>&1 || true
  echo "captured $name ($(wc -l <"$out/$name.log") lines)"
}

if want go_panic; then (cd gopanic && go build -o "$tmp/gopanic" .) && run go_panic "$tmp/gopanic"; fi
if want go_fatal_all; then (cd gofatal && go build -o "$tmp/gofatal" .) && GOTRACEBACK=all run go_fatal_all "$tmp/gofatal"; fi
if want java_uncaught || want java_logged; then javac -d "$tmp" Uncaught.java Logged.java; fi
run java_uncaught java -cp "$tmp" Uncaught
run java_logged java -cp "$tmp" Logged
run python_chained python3 chained.py
run python_logging_exception python3 logged.py
run python_thread python3 thread.py
run python_unraisable python3 unraisable.py
run python_asyncio_task python3 asyncio_task.py
run python_back_to_back python3 back_to_back.py
run node_uncaught node uncaught.js
run node_logged node logged.js
run node_async_throw node async_throw.js
run node_promise_reject node promise_reject.js
run node_reject_reason node reject_reason.js
run node_throw_top node throw_top.js
if want rust_panic; then rustc -g -o "$tmp/panic" panic.rs && RUST_BACKTRACE=1 run rust_panic "$tmp/panic"; fi
if command -v ruby >/dev/null; then run ruby_uncaught ruby uncaught.rb; fi

#!/usr/bin/env bash
# Regenerates ../fixtures/*.log by running each program in its real runtime and capturing
# stdout and stderr into one file, as a container runtime does. Not part of the tests:
# the captured files are the test data. Needs go, java, python3, node, rustc (and ruby).
# With fixture names as arguments, captures only those.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p ../fixtures
out=$(cd ../fixtures && pwd)
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

# Shapes the rules were not written for (#26); crash_test.go keeps some of them out of tuning.
if want go_http_panic; then (cd gohttppanic && go build -o "$tmp/gohttppanic" .) && run go_http_panic "$tmp/gohttppanic"; fi
if want go_race; then (cd gorace && CGO_ENABLED=1 go build -race -o "$tmp/gorace" .) && run go_race "$tmp/gorace"; fi
run python_exception_group python3 exception_group.py
run python_warning_exc_info python3 warning_exc_info.py
if want python_syntax_error; then cp syntax_error.py.txt "$tmp/app.py" && (cd "$tmp" && run python_syntax_error python3 app.py); fi
run python_faulthandler python3 faulthandler_segv.py
if want java_warn_exception || want java_thread_dump; then javac -d "$tmp" WarnException.java ThreadDump.java; fi
run java_warn_exception java -Djava.util.logging.SimpleFormatter.format='%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n' -cp "$tmp" WarnException
if want java_thread_dump; then
  java -cp "$tmp" ThreadDump >"$out/java_thread_dump.log" 2>&1 &
  pid=$!
  sleep 2 && kill -QUIT "$pid" && sleep 1 && kill "$pid"
  wait "$pid" || true
  echo "captured java_thread_dump ($(wc -l <"$out/java_thread_dump.log") lines)"
fi
run node_console_error_cause node console_error_cause.js
command -v ruby >/dev/null || apt-get install -y -qq ruby >/dev/null
run ruby_logger_error ruby logger_error.rb
run ruby_error_highlight ruby error_highlight.rb
command -v php >/dev/null || apt-get install -y -qq php-cli >/dev/null
run php_fatal php fatal.php
run perl_confess perl confess.pl

# A second round of shapes (#26), captured before the first round's held-out shapes were
# tuned on; crash_test.go keeps them out of tuning.
if want go_repanic; then (cd gorepanic && go build -o "$tmp/gorepanic" .) && run go_repanic "$tmp/gorepanic"; fi
if want go_debug_stack; then (cd godebugstack && go build -o "$tmp/godebugstack" .) && run go_debug_stack "$tmp/godebugstack"; fi
run python_recursion python3 recursion.py
run python_print_exc python3 print_exc.py
if want java_oom || want java_suppressed || want java_print_stack_trace; then javac -d "$tmp" Oom.java Suppressed.java PrintStackTrace.java; fi
run java_oom java -Xmx32m -cp "$tmp" Oom
run java_suppressed java -Djava.util.logging.SimpleFormatter.format='%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n' -cp "$tmp" Suppressed
run java_print_stack_trace java -cp "$tmp" PrintStackTrace
run node_console_trace node console_trace.js
run node_assertion_diff node assertion_diff.js
run node_aggregate_error node aggregate_error.js
run ruby_thread_exception ruby thread_exception.rb
run ruby_full_message ruby full_message.rb
run php_uncaught_exception php uncaught_exception.php
run php_debug_backtrace php debug_backtrace.php
run perl_cluck perl cluck.pl
if want rust_backtrace; then rustc -o "$tmp/backtrace" backtrace.rs 2>/dev/null && RUST_BACKTRACE=1 run rust_backtrace "$tmp/backtrace"; fi

# A third round of shapes (#26), captured before the second round's held-out shapes were
# tuned on; crash_test.go keeps them out of tuning.
if want go_sigquit; then (cd gosigquit && go build -o "$tmp/gosigquit" .) && run go_sigquit "$tmp/gosigquit"; fi
if want go_errors_join; then (cd goerrorsjoin && go build -o "$tmp/goerrorsjoin" .) && run go_errors_join "$tmp/goerrorsjoin"; fi
run python_stack_info python3 stack_info.py
run python_exception_notes python3 exception_notes.py
if want java_stack_overflow; then javac -d "$tmp" StackOverflow.java; fi
run java_stack_overflow java -Xss512k -cp "$tmp" StackOverflow
run node_deprecation_trace node --trace-deprecation deprecation_trace.js
run node_uncaught_handler node uncaught_handler.js
run ruby_cause ruby cause.rb
run php_chained php chained.php
if want rust_thread_panic; then rustc -o "$tmp/thread_panic" thread_panic.rs 2>/dev/null && run rust_thread_panic "$tmp/thread_panic"; fi
if want c_asan; then g++ -fsanitize=address -g -o "$tmp/asan" asan.cc && ASAN_OPTIONS=symbolize=1 run c_asan "$tmp/asan"; fi

# A fourth round of shapes (#26), captured before the third round's held-out shapes were
# tuned on; crash_test.go keeps them out of tuning.
if want go_nil_pointer; then (cd gonilmap && go build -o "$tmp/gonilmap" .) && run go_nil_pointer "$tmp/gonilmap"; fi
if want go_goroutine_error; then (cd gogoroutine && go build -o "$tmp/gogoroutine" .) && run go_goroutine_error "$tmp/gogoroutine"; fi
run python_remote_traceback python3 remote_traceback.py
run python_print_stack python3 print_stack.py
if want java_initializer_error || want java_dump_stack; then javac -d "$tmp" InitializerError.java DumpStack.java; fi
run java_initializer_error java -cp "$tmp" InitializerError
run java_dump_stack java -cp "$tmp" DumpStack
run node_internal_error_code node internal_error_code.js
run node_fetch_failed node fetch_failed.js
run ruby_stack_too_deep ruby stack_too_deep.rb
run ruby_nomethod ruby nomethod.rb
run php_logged_string php logged_string.php
run perl_croak_verbose perl croak_verbose.pl
if want rust_backtrace_full; then rustc -o "$tmp/backtrace_full" backtrace_full.rs 2>/dev/null && RUST_BACKTRACE=full run rust_backtrace_full "$tmp/backtrace_full"; fi
if want cpp_terminate; then g++ -o "$tmp/terminate" terminate.cc && run cpp_terminate "$tmp/terminate"; fi

# A fifth round of shapes (#26), captured before the fourth round's held-out shapes were
# tuned on; crash_test.go keeps them out of tuning.
if want go_log_panicf; then (cd gologpanic && go build -o "$tmp/gologpanic" .) && run go_log_panicf "$tmp/gologpanic"; fi
if want go_deadlock; then (cd godeadlock && go build -o "$tmp/godeadlock" .) && run go_deadlock "$tmp/godeadlock"; fi
run python_logging_multiline_error python3 logging_multiline_error.py
run python_keyboard_interrupt python3 keyboard_interrupt.py
run python_json_logger_exc python3 json_logger_exc.py
if want java_multiline_message || want java_pool_thread; then javac -d "$tmp" MultilineMessage.java PoolThread.java; fi
run java_multiline_message java -cp "$tmp" MultilineMessage
run java_pool_thread java -cp "$tmp" PoolThread
run node_esm_not_found node esm_not_found.mjs
run node_process_warning node process_warning.js
run node_multiline_message node multiline_message.js
run ruby_logger_backtrace_join ruby logger_backtrace_join.rb
run php_type_error php type_error.php
run perl_eval_confess_warn perl eval_confess_warn.pl
if want rust_unwrap_no_backtrace; then rustc -o "$tmp/unwrap" unwrap_no_backtrace.rs 2>/dev/null && env -u RUST_BACKTRACE "$tmp/unwrap" >"$out/rust_unwrap_no_backtrace.log" 2>&1 || true; echo "captured rust_unwrap_no_backtrace"; fi

# A sixth round of shapes (#26), captured after the fifth round, held out of every change.
if want go_multiline_panic; then (cd gomultiline && go build -o "$tmp/gomultiline" .) && run go_multiline_panic "$tmp/gomultiline"; fi
if want go_stack_overflow; then (cd gostackoverflow && go build -o "$tmp/gostackoverflow" .) && run go_stack_overflow "$tmp/gostackoverflow"; fi
run python_taskgroup python3 taskgroup.py
run python_multiline_str python3 multiline_str.py
run python_warning_line python3 warning_line.py
if want java_helpful_npe || want java_assertion; then javac -d "$tmp" HelpfulNpe.java Assertion.java; fi
run java_helpful_npe java -cp "$tmp" HelpfulNpe
run java_assertion java -ea -cp "$tmp" Assertion
run java_main_class_not_found java -cp "$tmp" NoSuchMain
run node_stack_size node stack_size.js
run node_promise_all node promise_all.js
run ruby_json_parser_error ruby json_parser_error.rb
run php_multiline_message php multiline_message.php
if want rust_main_error; then rustc -o "$tmp/main_error" main_error.rs 2>/dev/null && run rust_main_error "$tmp/main_error"; fi
if want c_ubsan; then g++ -fsanitize=undefined -g -o "$tmp/ubsan" ubsan.cc && UBSAN_OPTIONS=print_stacktrace=1 run c_ubsan "$tmp/ubsan"; fi

# A seventh round of shapes (#26), captured before the sixth round, held out of it.
if want go_concurrent_map; then (cd goconcurrentmap && go build -o "$tmp/goconcurrentmap" .) && run go_concurrent_map "$tmp/goconcurrentmap"; fi
if want go_init_panic; then (cd goinitpanic && go build -o "$tmp/goinitpanic" .) && run go_init_panic "$tmp/goinitpanic"; fi
run python_unittest_failure python3 unittest_failure.py
run python_format_exc_message python3 format_exc_message.py
if want java_execution_exception || want java_default_handler; then javac -d "$tmp" ExecutionExceptionMain.java DefaultHandler.java; fi
run java_execution_exception java -cp "$tmp" ExecutionExceptionMain
run java_default_handler java -cp "$tmp" DefaultHandler
run node_event_emitter_error node event_emitter_error.js
run node_error_in_object node error_in_object.js
run php_undefined_function php undefined_function.php
run perl_confess_multiline perl confess_multiline.pl
if want rust_assert_eq; then rustc -o "$tmp/assert_eq" assert_eq.rs 2>/dev/null && run rust_assert_eq "$tmp/assert_eq"; fi
if want cpp_terminate_thread; then g++ -pthread -o "$tmp/terminate_thread" terminate_thread.cc && run cpp_terminate_thread "$tmp/terminate_thread"; fi

# An eighth round of shapes (#26), captured before the seventh round, held out of it.
if want go_panic_struct; then (cd gopanicstruct && go build -o "$tmp/gopanicstruct" .) && run go_panic_struct "$tmp/gopanicstruct"; fi
if want go_log_fatalf; then (cd gologfatal && go build -o "$tmp/gologfatal" .) && run go_log_fatalf "$tmp/gologfatal"; fi
run python_nested_groups python3 nested_groups.py
run python_task_destroyed python3 task_destroyed.py
run python_unicode_decode python3 unicode_decode.py
if want java_deep_cause; then javac -d "$tmp" DeepCause.java; fi
run java_deep_cause java -cp "$tmp" DeepCause
run node_stack_trace_limit_zero node stack_trace_limit_zero.js
run ruby_bottom_order ruby bottom_order.rb
run ruby_name_error ruby name_error.rb
run php_warning_foreach php warning_foreach.php
if want rust_error_chain; then rustc -o "$tmp/error_chain" error_chain.rs 2>/dev/null && run rust_error_chain "$tmp/error_chain"; fi
if want c_double_free; then gcc -o "$tmp/double_free" double_free.c && run c_double_free "$tmp/double_free"; fi

# A ninth round of shapes (#26), captured after the seventh round and held out of every
# change: runtimes and libraries no earlier round printed with (Elixir, Erlang's escript,
# Log4j 2, structlog, loguru, zap). Needs elixir, liblog4j2-java, python3-structlog and
# python3-loguru from Debian (installed here if missing).
command -v elixir >/dev/null || apt-get install -y -qq elixir >/dev/null
[ -f /usr/share/java/log4j-core.jar ] || apt-get install -y -qq liblog4j2-java >/dev/null
/usr/bin/python3 -c 'import structlog, loguru' 2>/dev/null || apt-get install -y -qq python3-structlog python3-loguru >/dev/null
run elixir_raise elixir elixir_raise.exs
run elixir_genserver elixir elixir_genserver.exs
run erlang_escript escript erlang_escript.erl
log4j=/usr/share/java/log4j-api.jar:/usr/share/java/log4j-core.jar
if want java_log4j2_error; then javac -cp "$log4j" -d "$tmp" Log4j2Error.java; fi
run java_log4j2_error java -cp "$tmp:$log4j" Log4j2Error
run python_faulthandler_timeout python3 faulthandler_timeout.py
run python_structlog_exception /usr/bin/python3 structlog_exception.py
run python_loguru_exception /usr/bin/python3 loguru_exception.py
run node_dom_exception node dom_exception.js
run ruby_did_you_mean ruby did_you_mean.rb
run php_error_log_exception php error_log_exception.php
if want go_zap_stacktrace; then
  mkdir -p "$tmp/zap" && cp gozapstack/main.go "$tmp/zap/main.go"
  printf 'module zapstack\n\ngo 1.24\n\nrequire go.uber.org/zap v1.27.1\n' >"$tmp/zap/go.mod"
  (cd "$tmp/zap" && GOFLAGS=-mod=mod go build -o "$tmp/gozapstack" .) && run go_zap_stacktrace "$tmp/gozapstack"
fi
if want rust_pretty_debug_panic; then rustc -o "$tmp/pretty_debug_panic" pretty_debug_panic.rs 2>/dev/null && env -u RUST_BACKTRACE "$tmp/pretty_debug_panic" >"$out/rust_pretty_debug_panic.log" 2>&1 || true; echo "captured rust_pretty_debug_panic"; fi

# A tenth round of shapes (#26), captured before the eighth round and held out of it: Lua,
# Tcl, winston, Monolog, Logback, Elixir's Task, logrus, Twisted. Needs lua5.4, tcl,
# php-monolog, liblogback-java, libslf4j-java and python3-twisted from Debian.
command -v lua5.4 >/dev/null || apt-get install -y -qq lua5.4 >/dev/null
command -v tclsh >/dev/null || apt-get install -y -qq tcl >/dev/null
[ -f /usr/share/php/Monolog/autoload.php ] || apt-get install -y -qq php-monolog >/dev/null
[ -f /usr/share/java/logback-classic.jar ] || apt-get install -y -qq liblogback-java libslf4j-java >/dev/null
/usr/bin/python3 -c 'import twisted' 2>/dev/null || apt-get install -y -qq python3-twisted >/dev/null
run lua_error lua5.4 lua_error.lua
run tcl_error tclsh tcl_error.tcl
if want node_winston_errors; then (cd "$tmp" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --silent winston@3 >/dev/null); fi
NODE_PATH="$tmp/node_modules" run node_winston_errors node winston_errors.js
run php_monolog_stacktrace php monolog_stacktrace.php
logback=/usr/share/java/slf4j-api.jar:/usr/share/java/logback-classic.jar:/usr/share/java/logback-core.jar
if want java_logback_error; then javac -cp "$logback" -d "$tmp" LogbackError.java; fi
run java_logback_error java -cp "$tmp:$logback" LogbackError
run elixir_task elixir elixir_task.exs
if want go_logrus_panic; then
  mkdir -p "$tmp/logrus" && cp gologruspanic/main.go "$tmp/logrus/main.go"
  printf 'module logruspanic\n\ngo 1.24\n\nrequire github.com/sirupsen/logrus v1.9.4\n' >"$tmp/logrus/go.mod"
  (cd "$tmp/logrus" && GOFLAGS=-mod=mod go build -o "$tmp/gologruspanic" .) && run go_logrus_panic "$tmp/gologruspanic"
fi
run python_twisted_unhandled /usr/bin/python3 twisted_unhandled.py

# An eleventh round of shapes (#26), captured before the ninth round and held out of it:
# multiprocessing, Log4j 2's %xEx, --trace-uncaught, pkg/errors, LeakSanitizer. (A Rust
# double panic and an Erlang gen_server's error and crash reports were captured too and left
# out: each prints several reports for one failure, and a fixture here holds one trace.)
run python_multiprocessing_child python3 multiprocessing_child.py
if want java_log4j2_xex; then javac -cp "$log4j" -d "$tmp" Log4j2Xex.java; fi
run java_log4j2_xex java -cp "$tmp:$log4j" Log4j2Xex
run node_trace_uncaught node --trace-uncaught trace_uncaught.js
if want go_pkg_errors_stack; then
  mkdir -p "$tmp/pkgerrors" && cp gopkgerrors/main.go "$tmp/pkgerrors/main.go"
  printf 'module pkgerrors\n\ngo 1.24\n\nrequire github.com/pkg/errors v0.9.1\n' >"$tmp/pkgerrors/go.mod"
  (cd "$tmp/pkgerrors" && GOFLAGS=-mod=mod go build -o "$tmp/gopkgerrors" .) && run go_pkg_errors_stack "$tmp/gopkgerrors"
fi
if want c_lsan; then gcc -fsanitize=address -g -o "$tmp/lsan" lsan.c && run c_lsan "$tmp/lsan"; fi

# A twelfth round of shapes (#26), captured before the ninth round and held out of it:
# rich's tracebacks, a ResourceWarning with tracemalloc, the JVM's fatal error block, a
# worker thread's error, GOTRACEBACK=system, Log4perl's logconfess, ThreadSanitizer. Needs
# python3-rich and liblog-log4perl-perl from Debian.
/usr/bin/python3 -c 'import rich' 2>/dev/null || apt-get install -y -qq python3-rich >/dev/null
perl -MLog::Log4perl -e1 2>/dev/null || apt-get install -y -qq liblog-log4perl-perl >/dev/null
run python_rich_traceback /usr/bin/python3 rich_traceback.py
run python_resource_warning python3 -X tracemalloc=5 -W default::ResourceWarning resource_warning.py
if want java_hs_err; then javac -d "$tmp" HsErr.java 2>/dev/null; (cd "$tmp" && run java_hs_err java -XX:-CreateCoredumpOnCrash -XX:ErrorFile=/dev/null -cp "$tmp" HsErr); fi
run node_worker_uncaught node worker_uncaught.js
if want go_traceback_system; then (cd gotracebacksystem && go build -o "$tmp/gotracebacksystem" .) && GOTRACEBACK=system run go_traceback_system "$tmp/gotracebacksystem"; fi
run perl_log4perl_logconfess perl log4perl_logconfess.pl
if want c_tsan; then gcc -fsanitize=thread -g -o "$tmp/tsan" tsan.c -lpthread && run c_tsan "$tmp/tsan"; fi

# A thirteenth round of shapes (#26), captured before the tenth round and held out of it:
# concurrent.futures' callback error, JUL's throwing, a prefixed unhandled rejection, rake
# aborted, glibc's backtrace_symbols_fd.
run python_future_callback python3 future_callback.py
if want java_jul_throwing; then javac -d "$tmp" JulThrowing.java; fi
run java_jul_throwing java -Djava.util.logging.SimpleFormatter.format='%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n' -cp "$tmp" JulThrowing
run node_prefixed_error node prefixed_error.js
run ruby_rake_aborted ruby rake_aborted.rb
if want c_backtrace_symbols; then gcc -g -rdynamic -o "$tmp/backtrace_symbols" backtrace_symbols.c && run c_backtrace_symbols "$tmp/backtrace_symbols"; fi

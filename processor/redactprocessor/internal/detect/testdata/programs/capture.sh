#!/usr/bin/env bash
# Regenerates ../captured/{tuning,round2,...,round12,heldout}/: the values of each set (values.py
# writes <set>.labels: every secret by type and every harmless look-alike by kind) logged
# through real runtimes and their libraries, one .log per program.
#   tuning:  Python's logging, bash's -x trace.
#   round2:  Node (util.inspect, JSON.stringify), Ruby (Logger, Hash#inspect, Shellwords),
#            Java (java.util.logging, Map and record toString): held out in the first
#            round, scored before and after it, then tuned on.
#   round3:  Go (log/slog, log, http.Header, exec.Cmd), Perl (Data::Dumper, JSON::PP, warn),
#            PHP (error_log, print_r, var_export, json_encode): held out in the second round,
#            then tuned on.
#   round4:  Rust (Debug formatting of structs, maps and Commands), Node's pino and winston:
#            held out in the third round, then tuned on.
#   round5:  Python's structlog and loguru, Go's zap: held out in the fourth round, then
#            tuned on.
#   round6:  Go's logrus and zerolog, Node's bunyan and util.inspect: held out in the fifth
#            round, then tuned on.
#   round7:  PHP's Monolog (line and JSON formatters), Perl's Log::Log4perl and
#            Data::Dumper: held out in the sixth round, then tuned on.
#   round8:  Python's python-json-logger and %-style logging, Node's log4js: held out in
#            the seventh round, then tuned on.
#   round9:  Python's print() (f-strings, dataclass reprs, pprint), Go's fmt.Printf (%+v,
#            %#v, %q): held out in the eighth round, then tuned on.
#   round10: Java's Log4j 2 (PatternLayout, MapMessage), Elixir's Logger and IO.inspect:
#            held out in the ninth round, then tuned on.
#   round11: Erlang's OTP logger and io:format ~p, Lua's string.format and lua-cjson:
#            held out in the tenth round, then tuned on.
#   round12: PHP's var_dump and printf, Ruby's p and pp of Structs and Hashes: held out in
#            the eleventh round, then tuned on.
#   heldout: Python's PyYAML dumps (block and flow), Node's console.table and console.dir:
#            captured before the twelfth round and never tuned on.
# Not part of the tests: the captured files are the test data. Needs go, python3, bash,
# node and npm (pino and winston go into a temporary directory), java, perl, rustc, and ruby,
# php-cli, python3-structlog, python3-loguru, php-monolog, liblog-log4perl-perl,
# python3-pythonjsonlogger, liblog4j2-java, elixir, lua5.4 and lua-cjson from Debian
# (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")"
out=$(mkdir -p ../captured/tuning ../captured/round2 ../captured/round3 ../captured/round4 ../captured/round5 ../captured/round6 ../captured/round7 ../captured/round8 ../captured/round9 ../captured/round10 ../captured/round11 ../captured/round12 ../captured/heldout && cd ../captured && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cases=550 # 50 of each of the 11 categories per set

# tsv prints a set's cases as tab-separated lines (category, index, then key=value fields), for
# the programs whose runtime has no JSON reader at hand (Rust without crates, Elixir 1.14, Erlang, Lua).
tsv() {
  python3 -c 'import json,sys; [print("\t".join([c["cat"], str(c["i"])] + [k + "=" + v for k, v in c["f"].items()])) for c in json.load(open(sys.argv[1]))]' "$1"
}

python3 values.py tuning 1 $cases "$tmp/tuning.json" "$out/tuning.labels"
python3 pyapp.py "$tmp/tuning.json" >"$out/tuning/python_logging.log"
python3 shtrace.py "$tmp/tuning.json" >"$tmp/trace.sh"
bash -x "$tmp/trace.sh" >"$out/tuning/bash_trace.log" 2>&1

python3 values.py round2 2 $cases "$tmp/round2.json" "$out/round2.labels"
node nodeapp.js "$tmp/round2.json" >"$out/round2/node_console.log" 2>&1
command -v ruby >/dev/null || { apt-get install -y -qq ruby >/dev/null; }
ruby RubyApp.rb "$tmp/round2.json" >"$out/round2/ruby_logger.log"
javac -d "$tmp" JavaApp.java
java -cp "$tmp" JavaApp "$tmp/round2.json" >"$out/round2/java_jul.log"

python3 values.py round3 3 $cases "$tmp/round3.json" "$out/round3.labels"
go run goapp.go "$tmp/round3.json" >"$out/round3/go_slog.log"
perl perlapp.pl "$tmp/round3.json" >"$out/round3/perl_dumper.log"
command -v php >/dev/null || { apt-get install -y -qq php-cli >/dev/null; }
php phpapp.php "$tmp/round3.json" >"$out/round3/php_error_log.log" 2>&1 # error_log goes to stderr

python3 values.py round4 4 $cases "$tmp/round4.json" "$out/round4.labels"
rustc -O -o "$tmp/rustapp" rustapp.rs
tsv "$tmp/round4.json" | "$tmp/rustapp" >"$out/round4/rust_debug.log" 2>&1
(cd "$tmp" && npm init -y >/dev/null && npm install --silent pino@9 winston@3 >/dev/null)
NODE_PATH="$tmp/node_modules" node pinoapp.js "$tmp/round4.json" >"$out/round4/node_pino_winston.log" 2>&1

python3 values.py round5 5 $cases "$tmp/round5.json" "$out/round5.labels"
/usr/bin/python3 -c 'import structlog, loguru' 2>/dev/null || apt-get install -y -qq python3-structlog python3-loguru >/dev/null
/usr/bin/python3 structlogapp.py "$tmp/round5.json" >"$out/round5/python_structlog_loguru.log" 2>&1
mkdir "$tmp/zap" && sed 1,2d zapapp.go >"$tmp/zap/main.go" # without its build tag
printf 'module zapapp\n\ngo 1.24\n\nrequire go.uber.org/zap v1.27.1\n' >"$tmp/zap/go.mod"
(cd "$tmp/zap" && GOFLAGS=-mod=mod go run . "$tmp/round5.json") >"$out/round5/go_zap.log" 2>&1

python3 values.py round6 6 $cases "$tmp/round6.json" "$out/round6.labels"
mkdir "$tmp/logrus" && sed 1,2d logrusapp.go >"$tmp/logrus/main.go"
printf 'module logrusapp\n\ngo 1.24\n\nrequire (\n\tgithub.com/sirupsen/logrus v1.9.4\n\tgithub.com/rs/zerolog v1.35.1\n)\n' >"$tmp/logrus/go.mod"
(cd "$tmp/logrus" && GOFLAGS=-mod=mod go run . "$tmp/round6.json") >"$out/round6/go_logrus_zerolog.log" 2>&1
(cd "$tmp" && npm install --silent bunyan@1 >/dev/null)
NODE_PATH="$tmp/node_modules" node bunyanapp.js "$tmp/round6.json" >"$out/round6/node_bunyan_inspect.log" 2>&1

python3 values.py round7 7 $cases "$tmp/round7.json" "$out/round7.labels"
[ -f /usr/share/php/Monolog/autoload.php ] || apt-get install -y -qq php-monolog >/dev/null
perl -MLog::Log4perl -e1 2>/dev/null || apt-get install -y -qq liblog-log4perl-perl >/dev/null
php monologapp.php "$tmp/round7.json" >"$out/round7/php_monolog.log" 2>&1
perl log4perlapp.pl "$tmp/round7.json" >"$out/round7/perl_log4perl.log" 2>&1

python3 values.py round8 8 $cases "$tmp/round8.json" "$out/round8.labels"
/usr/bin/python3 -c 'import pythonjsonlogger' 2>/dev/null || apt-get install -y -qq python3-pythonjsonlogger >/dev/null
/usr/bin/python3 jsonloggerapp.py "$tmp/round8.json" >"$out/round8/python_json_logger.log" 2>&1
(cd "$tmp" && npm install --silent log4js@6 >/dev/null)
NODE_PATH="$tmp/node_modules" node log4jsapp.js "$tmp/round8.json" >"$out/round8/node_log4js.log" 2>&1

python3 values.py round9 9 $cases "$tmp/round9.json" "$out/round9.labels"
python3 printapp.py "$tmp/round9.json" >"$out/round9/python_print.log" 2>&1
go run fmtapp.go "$tmp/round9.json" >"$out/round9/go_fmt.log" 2>&1

python3 values.py round10 10 $cases "$tmp/round10.json" "$out/round10.labels"
[ -f /usr/share/java/log4j-core.jar ] || apt-get install -y -qq liblog4j2-java >/dev/null
command -v elixir >/dev/null || apt-get install -y -qq elixir >/dev/null
log4j=/usr/share/java/log4j-api.jar:/usr/share/java/log4j-core.jar
javac -cp "$log4j" -d "$tmp" Log4j2App.java
java -cp "$tmp:$log4j" Log4j2App "$tmp/round10.json" >"$out/round10/java_log4j2.log" 2>&1
tsv "$tmp/round10.json" | elixir elixirapp.exs >"$out/round10/elixir_logger.log" 2>&1

python3 values.py round11 11 $cases "$tmp/round11.json" "$out/round11.labels"
command -v lua5.4 >/dev/null || apt-get install -y -qq lua5.4 >/dev/null
lua5.4 -e 'require("cjson")' 2>/dev/null || apt-get install -y -qq lua-cjson >/dev/null
tsv "$tmp/round11.json" >"$tmp/round11.tsv"
escript erlangapp.erl <"$tmp/round11.tsv" >"$out/round11/erlang_logger.log" 2>&1
lua5.4 luaapp.lua <"$tmp/round11.tsv" >"$out/round11/lua_format.log" 2>&1

python3 values.py round12 12 $cases "$tmp/round12.json" "$out/round12.labels"
php vardumpapp.php "$tmp/round12.json" >"$out/round12/php_var_dump.log" 2>&1
ruby rubystructapp.rb "$tmp/round12.json" >"$out/round12/ruby_struct_pp.log" 2>&1

python3 values.py heldout 13 $cases "$tmp/heldout.json" "$out/heldout.labels"
python3 yamlapp.py "$tmp/heldout.json" >"$out/heldout/python_yaml.log" 2>&1
node consoletableapp.js "$tmp/heldout.json" >"$out/heldout/node_console_table.log" 2>&1
wc -l "$out"/*/*.log "$out"/*.labels

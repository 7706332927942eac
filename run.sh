#!/usr/bin/env bash
# h2srv developer entry point. Usage: ./run.sh {deps|stubs|build|install|cert|serve|test|asan} [args]
#   deps   install Debian 12 packages (build, test clients, bench peers)
#   build  phpize + configure + make: the release build (-O2) in modules/h2srv.so; BUILD=debug
#          (-O0 -g3) and BUILD=asan (ASan+UBSan) build in .build/debug and .build/asan instead,
#          so modules/h2srv.so is always the release build
#   install  the release build into PHP's extension directory: php -d extension=h2srv works
#   serve  deps, build, a dev certificate, then examples/hello.php on https://127.0.0.1:8443/
#   test   deps, then the whole phpt suite on a release build and again under ASan+UBSan, each
#          twice: as the tests ask, and with request dispatch the default (H2SRV_TEST_DISPATCH);
#          the load group (long tests run one at a time) only in the release pass as asked and
#          the ASan pass in request dispatch, unless H2SRV_TEST_FULL=1; with file arguments,
#          only those files on the release build (H2SRV_TEST_JOBS: parallel tests, default 2)
#   asan   the phpt suite (or the files given) on an ASan+UBSan build only
#   fuzz   [SECONDS [TARGET...]] build the libFuzzer targets in fuzz/ (clang, ASan+UBSan; h2, h1,
#          tls and ws unless named) and run each for SECONDS (default 60) from the committed seeds; new
#          inputs collect in .fuzz/
#   soak   [SECONDS] h2load traffic and every abuse scenario against one server together
#          (default 300 s): no legitimate request may fail, RSS and fds must come back
#   stubs  regenerate h2srv_arginfo.h from h2srv.stub.php, offline
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

PACKAGES=(php8.2-cli php8.2-dev libssl-dev libnghttp2-dev libuv1-dev pkg-config make gcc
          node-llhttp zlib1g-dev libbrotli-dev libzstd-dev openssl curl nghttp2-client python3-h2 prometheus apache2-utils nginx-light
          php-symfony-framework-bundle php-symfony-runtime php-laravel-framework php-nyholm-psr7
          php-guzzlehttp-psr7 brotli zstd chromium python3-websockets python3-grpcio node-ws)

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "run.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Where a build variant lives: the release build in the tree, the others in .build/<variant>
# (configure run from there; PHP's build system builds out of the tree).
build_dir() {
  case "${BUILD:-release}" in
    release) echo "$ROOT" ;;
    *) echo "$ROOT/.build/${BUILD}" ;;
  esac
}

# The module a variant builds.
module() {
  echo "$(build_dir)/modules/h2srv.so"
}

build() {
  local cflags="-O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers"
  local ldflags=""
  [ "${BUILD:-release}" = debug ] && cflags="-O0 -g3 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers"
  if [ "${BUILD:-release}" = asan ]; then
    cflags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wall"
    ldflags="-fsanitize=address,undefined"
  fi
  local dir; dir=$(build_dir)
  local stamp="$dir/.build-flags"
  if [ ! -f configure ] || [ config.m4 -nt configure ]; then
    phpize >/dev/null
  fi
  mkdir -p "$dir"
  if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$cflags" ]; then
    (cd "$dir" && CFLAGS="$cflags" LDFLAGS="$ldflags" "$ROOT/configure" --enable-h2srv >/dev/null)
    echo "$cflags" > "$stamp"
    make -C "$dir" clean >/dev/null
  fi
  make -C "$dir" -j"$(nproc)" >/dev/null
  echo "run.sh: built $(module)" >&2
}

install_ext() {
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  BUILD=release build
  $sudo make -C "$ROOT" install >/dev/null
  echo "run.sh: installed $(php-config --extension-dir)/h2srv.so (php -d extension=h2srv script.php)" >&2
}

cert() {
  # A pair, as a deployment would serve: ECDSA P-256 (cheap to sign) for the clients that take
  # it, RSA-2048 for the others. OpenSSL picks by the client's signature algorithms.
  mkdir -p .dev
  local san="subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
  if [ ! -f .dev/cert.pem ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
      -subj /CN=localhost -addext "$san" -keyout .dev/key.pem -out .dev/cert.pem 2>/dev/null
  fi
  if [ ! -f .dev/cert-rsa.pem ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 \
      -subj /CN=localhost -addext "$san" -keyout .dev/key-rsa.pem -out .dev/cert-rsa.pem 2>/dev/null
  fi
}

stubs() {
  local build_dir; build_dir="$(php-config --extension-dir)/build"
  if [ ! -e "$build_dir/PHP-Parser-4.15.1/lib/PhpParser" ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq php-parser php8.2-tokenizer >/dev/null
    $sudo mkdir -p "$build_dir/PHP-Parser-4.15.1/lib"
    $sudo ln -sfn /usr/share/php/PhpParser "$build_dir/PHP-Parser-4.15.1/lib/PhpParser"
  fi
  php "$build_dir/gen_stub.php" h2srv.stub.php
}

# Runs run-tests.php on the given files with the built extension; prints a one-line summary.
phpt() {
  export NO_INTERACTION=1 REPORT_EXIT_STATUS=1 H2SRV_SO; H2SRV_SO=$(module)
  local log rc; log=$(mktemp)
  set +e
  # run-tests.php gives up on a test silent for 60 s; under ASan (a wrapper) everything runs 2-3
  # times slower, and Chromium's 1000 WebSocket messages in test 059 went past it once on a slow day.
  php -n "$ROOT/run-tests.php" -n -d extension="$H2SRV_SO" -q --show-diff -j"${H2SRV_TEST_JOBS:-2}" \
    ${PHP_WRAPPER:+-p "$PHP_WRAPPER" --set-timeout 180} "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  count() { sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n "s/^Tests $1 *: *\([0-9]*\).*/\1/p" | head -1; }
  # CI keeps only the end of the output: repeat each failed test's diff after the summary.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n '/^FAILED TEST SUMMARY/,/^====/s/.*\[\(.*\.phpt\)\] *$/\1/p' |
    while read -r t; do echo "== ${t%.phpt}.diff"; cat "${t%.phpt}.diff" 2>/dev/null; done
  echo "phpt${PHP_WRAPPER:+ (ASan+UBSan)}: $(count passed) passed, $(count failed) failed, $(count skipped) skipped"
  rm -f "$log"
  return "$rc"
}

# The tests outside the load group (--CONFLICTS-- load: long tests that need the machine to
# themselves, so run-tests.php runs them one at a time).
outside_load_group() {
  local f
  for f in tests/*.phpt tests/*/*.phpt; do
    awk '/^--CONFLICTS--$/{c=1; next} /^--/{c=0} c && /^load$/{found=1} END{exit !found}' "$f" || echo "$f"
  done
}

# The same suite against an ASan+UBSan build (BUILD=asan), with USE_ZEND_ALLOC=0 so that
# PHP's allocations go through the sanitizer too; fails on any report. Leak checking is off:
# php ends with allocations it never frees. php is not built with ASan, so the runtimes are
# preloaded into php processes only (curl and python hang under them): tests run through a
# wrapper, and the harness hands the preload to the server children it starts and copies
# their reports into one log (the sanitizers' own log_path is ignored under this preload).
phpt_asan() {
  local tmp rc; tmp=$(mktemp -d)
  gcc -shared -fPIC -O1 -o "$tmp/nodeepbind.so" tests/inc/asan-nodeepbind.c -ldl
  export H2SRV_SERVER_PRELOAD="$tmp/nodeepbind.so:$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
  printf '#!/bin/sh\nLD_PRELOAD="%s" exec %s "$@"\n' "$H2SRV_SERVER_PRELOAD" "$(command -v php)" > "$tmp/php"
  chmod +x "$tmp/php"
  export USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1
  export ASAN_OPTIONS="detect_leaks=0:verify_asan_link_order=0" UBSAN_OPTIONS="print_stacktrace=1"
  export H2SRV_SANITIZER_LOG="$tmp/reports"
  set +e
  PHP_WRAPPER="$tmp/php" BUILD=asan phpt "$@"; rc=$?
  set -e
  if [ -s "$tmp/reports" ]; then
    echo "run.sh: sanitizer reports:" >&2; cat "$tmp/reports" >&2; rc=1
  else
    echo "run.sh: no sanitizer reports"
  fi
  unset H2SRV_SERVER_PRELOAD USE_ZEND_ALLOC ZEND_DONT_UNLOAD_MODULES H2SRV_SANITIZER_LOG
  rm -rf "$tmp"
  return "$rc"
}

# Builds fuzz/<target>_fuzz.c with the sources it needs into .fuzz/<target>_fuzz.
fuzz_build() {
  local target=$1; shift
  local defs=()
  grep -q "define HAVE_NGHTTP2_MAX_CONTINUATIONS 1" config.h 2>/dev/null && defs+=(-DHAVE_NGHTTP2_MAX_CONTINUATIONS)
  grep -q "define HAVE_NGHTTP2_STREAM_RESET_RATE_LIMIT 1" config.h 2>/dev/null && defs+=(-DHAVE_NGHTTP2_STREAM_RESET_RATE_LIMIT)
  grep -q "define HAVE_LINUX_TLS_H 1" config.h 2>/dev/null && defs+=(-DHAVE_LINUX_TLS_H)
  # shellcheck disable=SC2046
  clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined "${defs[@]}" \
    -I. -Isrc -I/usr/share/include/llhttp -I/usr/share/llhttp $(php-config --includes) $(pkg-config --cflags openssl libnghttp2 libuv) \
    "fuzz/${target}_fuzz.c" "$@" -o ".fuzz/${target}_fuzz" \
    -L"$(php-config --prefix)/lib" -lphp8.2 $(pkg-config --libs openssl libnghttp2 libuv) -lz
}

fuzz() {
  local secs=${1:-60}
  local targets=("${@:2}")
  [ ${#targets[@]} -eq 0 ] && targets=(h2 h1 tls ws)
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  for p in clang libclang-rt-14-dev libphp8.2-embed; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$p" >/dev/null
  done
  mkdir -p .fuzz/corpus-h2 .fuzz/corpus-h1 .fuzz/corpus-tls .fuzz/corpus-ws
  local t
  for t in "${targets[@]}"; do
    case "$t" in
      h2)  fuzz_build h2 src/h2/session.c src/h2/respond.c src/h2/stream.c src/h2/emit.c src/h2/mem.c src/ws/frame.c src/ws/deflate.c src/buf.c src/log.c ;;
      h1)  fuzz_build h1 src/h1/parse.c src/h1/respond.c src/h1/llhttp_parser.c src/h1/llhttp_api.c \
             src/h1/llhttp_http.c src/h2/session.c src/h2/respond.c src/h2/stream.c src/h2/emit.c src/h2/mem.c src/ws/frame.c src/ws/deflate.c \
             src/buf.c src/log.c ;;
      tls) fuzz_build tls src/tls/tls.c src/tls/seal.c src/tls/tickets.c src/buf.c ;;
      ws)  fuzz_build ws src/ws/frame.c src/ws/deflate.c src/buf.c ;;
      *)   echo "unknown fuzz target: $t (h2, h1, tls or ws)" >&2; return 2 ;;
    esac
  done
  # All at once, one per core; -rss_limit_mb guards against a leak that grows without bound.
  for t in "${targets[@]}"; do
    rm -f .fuzz/crash-"${t}"-*
    PHP_INI_SCAN_DIR= ASAN_OPTIONS=detect_leaks=0 ".fuzz/${t}_fuzz" -max_total_time="$secs" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix=".fuzz/crash-${t}-" ".fuzz/corpus-${t}" "fuzz/corpus/${t}" \
      > ".fuzz/${t}.log" 2>&1 &
  done
  local rc=0
  for t in "${targets[@]}"; do
    wait -n || rc=1
  done
  for t in "${targets[@]}"; do
    echo "== ${t}: $(grep -E '^#[0-9]+.*(DONE|pulse)' ".fuzz/${t}.log" | tail -1)"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" ".fuzz/${t}.log" | sed 's/^/   /'
    if ls .fuzz/crash-"${t}"-* >/dev/null 2>&1; then echo "   FOUND A CRASH, see .fuzz/${t}.log"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  deps)  deps ;;
  fuzz)  shift; deps; fuzz "$@" ;;
  soak)  shift; deps; build; H2SRV_SO="$(module)" php -n -d extension="$(module)" tests/soak.php "$@" ;;
  stubs) stubs ;;
  build) deps; build ;;
  install) deps; install_ext ;;
  cert)  cert ;;
  serve)
    deps; build; cert
    echo "run.sh: serving https://127.0.0.1:8443/ (try: curl -k --http2 https://127.0.0.1:8443/); Ctrl-C stops" >&2
    exec php -n -d extension="$(module)" examples/hello.php ;;
  test)
    shift
    deps
    if [ $# -gt 0 ]; then build; phpt "$@"; exit $?; fi
    # Every suite runs whatever the others give (phpt turns errexit back on: hence the ||).
    # Each build runs the suite twice: as the tests ask, then with request dispatch the default
    # of every server (a test that names its dispatch mode keeps it). The load group runs one
    # test at a time and is most of the wall time, so it runs twice, not four times: on the
    # release build as the tests ask, and under ASan with request dispatch (reactors and
    # workers: the most code); H2SRV_TEST_FULL=1 runs it in all four passes.
    rc=0; rc_req=0; rc_asan=0; rc_asan_req=0
    second_passes=(tests); [ "${H2SRV_TEST_FULL:-0}" = 1 ] || mapfile -t second_passes < <(outside_load_group)
    { build && phpt tests; } || rc=$?
    { H2SRV_TEST_DISPATCH=request phpt "${second_passes[@]}"; } || rc_req=$?
    { BUILD=asan build && phpt_asan "${second_passes[@]}"; } || rc_asan=$?
    { H2SRV_TEST_DISPATCH=request phpt_asan tests; } || rc_asan_req=$?
    verdict() { [ "$1" -eq 0 ] && echo passed || echo FAILED; }
    echo "run.sh test: release suite $(verdict $rc), release in request dispatch $(verdict $rc_req)," \
      "ASan+UBSan suite $(verdict $rc_asan), ASan+UBSan in request dispatch $(verdict $rc_asan_req)"
    [ $rc -eq 0 ] && [ $rc_req -eq 0 ] && [ $rc_asan -eq 0 ] && [ $rc_asan_req -eq 0 ] ;;
  asan)
    shift
    deps; BUILD=asan build
    [ $# -eq 0 ] && set -- tests
    phpt_asan "$@" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac

#!/usr/bin/env bash
# h2srv developer entry point. Usage: ./run.sh {deps|stubs|build|cert|serve|test} [args]
#   deps   install Debian 12 packages (build, test clients, bench peers)
#   build  phpize + configure + make (BUILD=debug for -O0 -g; default is release -O2)
#   serve  deps, build, a dev certificate, then examples/hello.php on https://127.0.0.1:8443/
#   test   deps, build, then the whole phpt suite (extra args go to run-tests.php)
#   stubs  regenerate h2srv_arginfo.h from h2srv.stub.php, offline
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

PACKAGES=(php8.2-cli php8.2-dev libssl-dev libnghttp2-dev libuv1-dev pkg-config make gcc
          openssl curl nghttp2-client python3-h2)

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

build() {
  local cflags="-O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers"
  [ "${BUILD:-release}" = debug ] && cflags="-O0 -g3 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers"
  local stamp=".build-flags"
  if [ ! -f configure ] || [ config.m4 -nt configure ]; then
    phpize >/dev/null
  fi
  if [ ! -f Makefile ] || [ configure -nt Makefile ] || [ "$(cat $stamp 2>/dev/null)" != "$cflags" ]; then
    CFLAGS="$cflags" ./configure --enable-h2srv >/dev/null
    echo "$cflags" > $stamp
    make clean >/dev/null
  fi
  make -j"$(nproc)" >/dev/null
  echo "run.sh: built $ROOT/modules/h2srv.so" >&2
}

cert() {
  # ECDSA P-256: cheap to sign, fine for development. The bench uses its own RSA-2048 one.
  mkdir -p .dev
  if [ ! -f .dev/cert.pem ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
      -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
      -keyout .dev/key.pem -out .dev/cert.pem 2>/dev/null
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

case "${1:-}" in
  deps)  deps ;;
  stubs) stubs ;;
  build) deps; build ;;
  cert)  cert ;;
  serve)
    deps; build; cert
    echo "run.sh: serving https://127.0.0.1:8443/ (try: curl -k --http2 https://127.0.0.1:8443/); Ctrl-C stops" >&2
    exec php -n -d extension="$ROOT/modules/h2srv.so" examples/hello.php ;;
  test)
    shift
    deps; build
    export NO_INTERACTION=1 REPORT_EXIT_STATUS=1 H2SRV_SO="$ROOT/modules/h2srv.so"
    log=$(mktemp)
    set +e
    [ $# -eq 0 ] && set -- tests
    php -n "$ROOT/run-tests.php" -n -d extension="$H2SRV_SO" -q --show-diff -j2 "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    count() { sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n "s/^Tests $1 *: *\([0-9]*\).*/\1/p" | head -1; }
    echo "phpt: $(count passed) passed, $(count failed) failed, $(count skipped) skipped"
    rm -f "$log"
    exit "$rc" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac

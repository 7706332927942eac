dnl h2srv: HTTP/2-over-TLS server for the PHP CLI (OpenSSL memory BIOs, nghttp2, libuv).

PHP_ARG_ENABLE([h2srv],
  [whether to enable h2srv],
  [AS_HELP_STRING([--enable-h2srv], [Enable the h2srv HTTP/2 server extension])],
  [no])

if test "$PHP_H2SRV" != "no"; then
  PKG_CHECK_MODULES([H2SRV_OPENSSL], [openssl >= 3.0.0])
  PKG_CHECK_MODULES([H2SRV_NGHTTP2], [libnghttp2 >= 1.40.0])
  PKG_CHECK_MODULES([H2SRV_UV], [libuv >= 1.30.0])
  dnl Response compression: gzip (zlib), br (libbrotlienc), zstd (libzstd).
  PKG_CHECK_MODULES([H2SRV_ZLIB], [zlib])
  PKG_CHECK_MODULES([H2SRV_BROTLI], [libbrotlienc])
  PKG_CHECK_MODULES([H2SRV_ZSTD], [libzstd])

  PHP_EVAL_INCLINE($H2SRV_OPENSSL_CFLAGS $H2SRV_NGHTTP2_CFLAGS $H2SRV_UV_CFLAGS $H2SRV_ZLIB_CFLAGS $H2SRV_BROTLI_CFLAGS $H2SRV_ZSTD_CFLAGS)
  PHP_EVAL_LIBLINE($H2SRV_OPENSSL_LIBS, H2SRV_SHARED_LIBADD)
  PHP_EVAL_LIBLINE($H2SRV_NGHTTP2_LIBS, H2SRV_SHARED_LIBADD)
  PHP_EVAL_LIBLINE($H2SRV_UV_LIBS, H2SRV_SHARED_LIBADD)
  PHP_EVAL_LIBLINE($H2SRV_ZLIB_LIBS, H2SRV_SHARED_LIBADD)
  PHP_EVAL_LIBLINE($H2SRV_BROTLI_LIBS, H2SRV_SHARED_LIBADD)
  PHP_EVAL_LIBLINE($H2SRV_ZSTD_LIBS, H2SRV_SHARED_LIBADD)

  dnl Debian backports security limits without bumping the version: probe the symbols.
  PHP_CHECK_LIBRARY(nghttp2, nghttp2_option_set_stream_reset_rate_limit,
    [AC_DEFINE(HAVE_NGHTTP2_STREAM_RESET_RATE_LIMIT, 1, [nghttp2 has the rapid-reset limiter])],
    [], [$H2SRV_NGHTTP2_LIBS])
  PHP_CHECK_LIBRARY(nghttp2, nghttp2_option_set_max_continuations,
    [AC_DEFINE(HAVE_NGHTTP2_MAX_CONTINUATIONS, 1, [nghttp2 limits CONTINUATION frames])],
    [], [$H2SRV_NGHTTP2_LIBS])

  dnl HTTP/1.1 is parsed by llhttp, compiled from the generated C that Debian's node-llhttp
  dnl ships (src/h1/llhttp_*.c include it from there; nothing is copied into this tree).
  PHP_ARG_WITH([llhttp], [where llhttp's generated sources are],
    [AS_HELP_STRING([--with-llhttp=DIR], [llhttp's llhttp.c, api.c, http.c (default /usr/share/llhttp)])],
    [/usr/share/llhttp], [no])
  if test "$PHP_LLHTTP" = "yes" || test "$PHP_LLHTTP" = "no"; then
    PHP_LLHTTP=/usr/share/llhttp
  fi
  H2SRV_LLHTTP_INC=
  for d in "$PHP_LLHTTP/../include/llhttp" "$PHP_LLHTTP/include" "$PHP_LLHTTP"; do
    if test -f "$d/llhttp.h"; then H2SRV_LLHTTP_INC=$d; break; fi
  done
  AC_MSG_CHECKING([for llhttp's generated sources])
  if test ! -f "$PHP_LLHTTP/llhttp.c" || test ! -f "$PHP_LLHTTP/api.c" || test ! -f "$PHP_LLHTTP/http.c" || test -z "$H2SRV_LLHTTP_INC"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([llhttp's sources (llhttp.c, api.c, http.c and llhttp.h) are not under $PHP_LLHTTP: install Debian's node-llhttp (apt-get install node-llhttp) or pass --with-llhttp=DIR])
  fi
  AC_MSG_RESULT([$PHP_LLHTTP, header in $H2SRV_LLHTTP_INC])
  PHP_EVAL_INCLINE(-I$H2SRV_LLHTTP_INC -I$PHP_LLHTTP)

  dnl Sealing TLS 1.3 records in h2srv takes the key through OpenSSL's kernel-TLS structures.
  AC_CHECK_HEADERS([linux/tls.h])
  dnl Static files are opened beneath their mount by openat2(RESOLVE_BENEATH) where it exists.
  AC_CHECK_HEADERS([linux/openat2.h])

  PHP_NEW_EXTENSION(h2srv,
    src/h2srv.c src/buf.c src/log.c src/options.c src/server.c src/conn.c src/request.c src/response.c \
    src/workers.c src/timers.c src/listener.c src/conditional.c src/static.c src/compress.c src/balance.c src/stats.c src/shm.c src/certs.c src/tls/tls.c src/tls/seal.c src/tls/tickets.c src/h2/session.c src/h2/respond.c src/h2/stream.c src/h2/emit.c src/h2/mem.c src/h1/parse.c src/h1/respond.c src/h1/llhttp_parser.c src/h1/llhttp_api.c src/h1/llhttp_http.c src/dispatch/region.c src/dispatch/reactor.c src/dispatch/worker.c src/ws/frame.c src/ws/socket.c src/ws/deflate.c src/websocket.c src/mailbox.c src/duplex.c,
    $ext_shared,, -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -I@ext_srcdir@/src)
  PHP_ADD_BUILD_DIR($ext_builddir/src)
  PHP_ADD_BUILD_DIR($ext_builddir/src/tls)
  PHP_ADD_BUILD_DIR($ext_builddir/src/h2)
  PHP_ADD_BUILD_DIR($ext_builddir/src/h1)
  PHP_ADD_BUILD_DIR($ext_builddir/src/dispatch)
  PHP_ADD_BUILD_DIR($ext_builddir/src/ws)
  PHP_SUBST(H2SRV_SHARED_LIBADD)
fi

#ifndef PHP_H2SRV_H
#define PHP_H2SRV_H

#include "php.h"

#define PHP_H2SRV_VERSION "0.1.0"

extern zend_module_entry h2srv_module_entry;
#define phpext_h2srv_ptr &h2srv_module_entry

/* How a TLS connection turns nghttp2 output into records. */
typedef enum {
	H2SRV_EMIT_GATHER = 0, /* frames gathered as slices, one SSL_write_ex per byte_cap */
	H2SRV_EMIT_DRAIN = 1   /* reference path: nghttp2 mem_send, one SSL_write_ex per chunk */
} h2srv_emit_mode_t;

#define H2SRV_DISPATCH_CONNECTION 0
#define H2SRV_DISPATCH_REQUEST 1

ZEND_BEGIN_MODULE_GLOBALS(h2srv)
	zend_long byte_cap;
	zend_long tls_emit;
	bool tls_seal_openssl;     /* h2srv.tls_seal=openssl: OpenSSL seals gathered records too */
	zend_long tls_key_records; /* TLS records per write key before h2srv updates it */
	zend_long dispatch;        /* h2srv.dispatch: the default mode (H2SRV_DISPATCH_*, or -1: by workers) */
ZEND_END_MODULE_GLOBALS(h2srv)

ZEND_EXTERN_MODULE_GLOBALS(h2srv)
#define H2SRV_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(h2srv, v)

#if defined(ZTS) && defined(COMPILE_DL_H2SRV)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

extern zend_class_entry *h2srv_ce_exception;
extern zend_class_entry *h2srv_ce_server;
extern zend_class_entry *h2srv_ce_request;
extern zend_class_entry *h2srv_ce_response;

#endif

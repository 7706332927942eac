#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"
#include <openssl/crypto.h>
#include <nghttp2/nghttp2.h>
#include <uv.h>

#include "php_h2srv.h"
#include "server.h"
#include "timers.h"
#include "websocket.h"
#include "request.h"
#include "response.h"
#include "tls/tls.h"
#include "h2/session.h"
#include "h1/session.h"
#include "h2/stream.h"
#include "h2srv_arginfo.h"

ZEND_DECLARE_MODULE_GLOBALS(h2srv)

zend_class_entry *h2srv_ce_exception;
zend_class_entry *h2srv_ce_server;
static zend_object_handlers server_handlers;

/* ---- INI -------------------------------------------------------------------------------- */

static ZEND_INI_MH(on_update_byte_cap)
{
	zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), NULL, 10);

	if (v < 1024 || v > 16 * 1024 * 1024) {
		php_error_docref(NULL, E_WARNING, "h2srv.byte_cap must be between 1024 and 16777216 bytes, got \"%s\"",
			ZSTR_VAL(new_value));
		return FAILURE;
	}
	H2SRV_G(byte_cap) = v;
	return SUCCESS;
}

static ZEND_INI_MH(on_update_tls_emit)
{
	if (zend_string_equals_literal(new_value, "gather")) {
		H2SRV_G(tls_emit) = H2SRV_EMIT_GATHER;
	} else if (zend_string_equals_literal(new_value, "drain")) {
		H2SRV_G(tls_emit) = H2SRV_EMIT_DRAIN;
	} else {
		php_error_docref(NULL, E_WARNING, "h2srv.tls_emit must be \"gather\" or \"drain\", got \"%s\"", ZSTR_VAL(new_value));
		return FAILURE;
	}
	return SUCCESS;
}

static ZEND_INI_MH(on_update_tls_seal)
{
	if (zend_string_equals_literal(new_value, "h2srv")) {
		H2SRV_G(tls_seal_openssl) = false;
	} else if (zend_string_equals_literal(new_value, "openssl")) {
		H2SRV_G(tls_seal_openssl) = true;
	} else {
		php_error_docref(NULL, E_WARNING, "h2srv.tls_seal must be \"h2srv\" or \"openssl\", got \"%s\"", ZSTR_VAL(new_value));
		return FAILURE;
	}
	return SUCCESS;
}

static ZEND_INI_MH(on_update_tls_key_records)
{
	zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), NULL, 10);

	if (v < 1 || v > H2SRV_TLS_KEY_RECORDS) {
		php_error_docref(NULL, E_WARNING, "h2srv.tls_key_records must be between 1 and %d records, got \"%s\"",
			H2SRV_TLS_KEY_RECORDS, ZSTR_VAL(new_value));
		return FAILURE;
	}
	H2SRV_G(tls_key_records) = v;
	return SUCCESS;
}

static ZEND_INI_MH(on_update_dispatch)
{
	if (ZSTR_LEN(new_value) == 0) {
		H2SRV_G(dispatch) = -1;
	} else if (zend_string_equals_literal(new_value, "connection")) {
		H2SRV_G(dispatch) = H2SRV_DISPATCH_CONNECTION;
	} else if (zend_string_equals_literal(new_value, "request")) {
		H2SRV_G(dispatch) = H2SRV_DISPATCH_REQUEST;
	} else {
		php_error_docref(NULL, E_WARNING, "h2srv.dispatch must be \"connection\", \"request\" or empty, got \"%s\"",
			ZSTR_VAL(new_value));
		return FAILURE;
	}
	return SUCCESS;
}

PHP_INI_BEGIN()
	PHP_INI_ENTRY("h2srv.byte_cap", "16384", PHP_INI_ALL, on_update_byte_cap)
	PHP_INI_ENTRY("h2srv.tls_emit", "gather", PHP_INI_ALL, on_update_tls_emit)
	PHP_INI_ENTRY("h2srv.tls_seal", "h2srv", PHP_INI_ALL, on_update_tls_seal)
	/* Lowered only to test what happens at the limit. */
	PHP_INI_ENTRY("h2srv.tls_key_records", ZEND_TOSTR(H2SRV_TLS_KEY_RECORDS), PHP_INI_ALL, on_update_tls_key_records)
	/* The dispatch mode when the "dispatch" option is not given; empty: by the workers. */
	PHP_INI_ENTRY("h2srv.dispatch", "", PHP_INI_ALL, on_update_dispatch)
PHP_INI_END()

/* ---- H2srv\Server ----------------------------------------------------------------------- */

static zend_object *server_create(zend_class_entry *ce)
{
	h2srv_server_t *srv = zend_object_alloc(sizeof(h2srv_server_t), ce);

	memset(srv, 0, XtOffsetOf(h2srv_server_t, std));
	srv->access_log.fd = srv->error_log.fd = -1;
	ZVAL_UNDEF(&srv->handler);
	ZVAL_UNDEF(&srv->bootstrap);
	h2srv_stats_table_init(&srv->stats_table, &srv->t.stats);
	h2srv_certs_init(&srv->certs);
	zend_hash_init(&srv->timers, 8, NULL, NULL, 0);
	zend_hash_init(&srv->sockets, 8, NULL, NULL, 0);
	zend_object_std_init(&srv->std, ce);
	object_properties_init(&srv->std, ce);
	srv->std.handlers = &server_handlers;
	return &srv->std;
}

static void server_free(zend_object *obj)
{
	h2srv_server_t *srv = h2srv_server_from_obj(obj);

	h2srv_server_free(srv);
	zend_hash_destroy(&srv->timers);
	zend_hash_destroy(&srv->sockets);
	zend_object_std_dtor(obj);
}

static HashTable *server_get_gc(zend_object *obj, zval **table, int *n)
{
	h2srv_server_t *srv = h2srv_server_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	/* The callables may hold the server (a closure using $server): let the GC see the cycle. */
	zend_get_gc_buffer_add_zval(buf, &srv->handler);
	zend_get_gc_buffer_add_zval(buf, &srv->bootstrap);
	h2srv_timers_gc(srv, buf);
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

#define THIS_SERVER() h2srv_server_from_obj(Z_OBJ_P(ZEND_THIS))

PHP_METHOD(H2srv_Server, __construct)
{
	HashTable *options;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();
	h2srv_server_init(THIS_SERVER(), options);
}

PHP_METHOD(H2srv_Server, handle)
{
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	h2srv_server_t *srv = THIS_SERVER();

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();
	zval_ptr_dtor(&srv->handler);
	ZVAL_COPY(&srv->handler, &fci.function_name);
	srv->handler_fcc = fcc;
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(H2srv_Server, run)
{
	ZEND_PARSE_PARAMETERS_NONE();
	h2srv_server_run(THIS_SERVER());
}

PHP_METHOD(H2srv_Server, stop)
{
	ZEND_PARSE_PARAMETERS_NONE();
	h2srv_server_stop_all(THIS_SERVER());
}

static void start_timer(INTERNAL_FUNCTION_PARAMETERS, bool repeat)
{
	zend_long ms;
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	h2srv_server_t *srv = THIS_SERVER();

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_LONG(ms)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();
	if (!srv->loop_ready) {
		zend_throw_exception(h2srv_ce_exception, "the server was not constructed", 0);
		RETURN_THROWS();
	}
	if (ms < (repeat ? 1 : 0) || ms > H2SRV_TIMER_MAX_MS) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "timer interval " ZEND_LONG_FMT " ms is out of range (%d to %d)",
			ms, repeat ? 1 : 0, H2SRV_TIMER_MAX_MS);
		RETURN_THROWS();
	}
	RETURN_LONG(h2srv_timer_start(srv, ms, repeat, &fci.function_name, &fcc));
}

PHP_METHOD(H2srv_Server, after)
{
	start_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(H2srv_Server, every)
{
	start_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

PHP_METHOD(H2srv_Server, cancel)
{
	zend_long id;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(id)
	ZEND_PARSE_PARAMETERS_END();
	RETURN_BOOL(h2srv_timer_cancel(THIS_SERVER(), id));
}

PHP_METHOD(H2srv_Server, sendTo)
{
	zend_string *id, *data;
	bool binary = false;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_STR(id)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(binary)
	ZEND_PARSE_PARAMETERS_END();
	if (h2srv_websocket_check_text("sendTo()", data, binary) == FAILURE) {
		RETURN_THROWS();
	}
	RETURN_BOOL(h2srv_websocket_send_to(THIS_SERVER(), id, data, binary));
}

PHP_METHOD(H2srv_Server, stats)
{
	ZEND_PARSE_PARAMETERS_NONE();
	h2srv_server_stats(THIS_SERVER(), return_value);
}

PHP_METHOD(H2srv_Server, metrics)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_STR(h2srv_server_metrics(THIS_SERVER()));
}

/* ---- module ----------------------------------------------------------------------------- */

static PHP_GINIT_FUNCTION(h2srv)
{
#if defined(COMPILE_DL_H2SRV) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	h2srv_globals->byte_cap = 16384;
	h2srv_globals->tls_emit = H2SRV_EMIT_GATHER;
	h2srv_globals->tls_seal_openssl = false;
	h2srv_globals->tls_key_records = H2SRV_TLS_KEY_RECORDS;
}

PHP_MINIT_FUNCTION(h2srv)
{
	REGISTER_INI_ENTRIES();
	if (h2srv_tls_startup() != 0 || h2srv_h2_startup() != 0) {
		return FAILURE;
	}
	h2srv_h1_startup();
	h2srv_ce_exception = register_class_H2srv_Exception(spl_ce_RuntimeException);
	h2srv_ce_server = register_class_H2srv_Server();
	h2srv_ce_server->create_object = server_create;
	memcpy(&server_handlers, zend_get_std_object_handlers(), sizeof(server_handlers));
	server_handlers.offset = XtOffsetOf(h2srv_server_t, std);
	server_handlers.free_obj = server_free;
	server_handlers.get_gc = server_get_gc;
	server_handlers.clone_obj = NULL;
	h2srv_request_minit(register_class_H2srv_Request());
	h2srv_response_minit(register_class_H2srv_Response());
	h2srv_websocket_minit(register_class_H2srv_WebSocket());
	return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(h2srv)
{
	UNREGISTER_INI_ENTRIES();
	h2srv_h2_shutdown();
	h2srv_tls_shutdown();
	return SUCCESS;
}

/* Streams outlive the objects that point at them; give the pool back once those are gone. */
static ZEND_MODULE_POST_ZEND_DEACTIVATE_D(h2srv)
{
	h2srv_stream_pool_drain();
	return SUCCESS;
}

PHP_MINFO_FUNCTION(h2srv)
{
	char nghttp2_ver[32], seal[160];
	const char *why;

	if (h2srv_tls_can_seal(&why)) {
		snprintf(seal, sizeof(seal), "available (self-check against RFC 8448 passed)");
	} else {
		snprintf(seal, sizeof(seal), "no, OpenSSL seals them (%s)", why);
	}
	snprintf(nghttp2_ver, sizeof(nghttp2_ver), "%s", nghttp2_version(0)->version_str);
	php_info_print_table_start();
	php_info_print_table_header(2, "h2srv support", "enabled");
	php_info_print_table_row(2, "Version", PHP_H2SRV_VERSION);
	php_info_print_table_row(2, "OpenSSL", OpenSSL_version(OPENSSL_VERSION));
	php_info_print_table_row(2, "nghttp2", nghttp2_ver);
	php_info_print_table_row(2, "libuv", uv_version_string());
	php_info_print_table_row(2, "TLS 1.3 records sealed by h2srv", seal);
	php_info_print_table_row(2, "dispatch \"connection\"",
		"a worker owns its connections and runs their handlers, one at a time (default with 1 worker); "
		"the least server CPU per request: for handlers that never block");
	php_info_print_table_row(2, "dispatch \"request\"",
		"reactors own the connections; each request goes to whichever worker is free, through shared memory "
		"(default with more workers; a blocked handler stalls nothing else); measured at 0.9 to 1.7 times "
		"connection dispatch's server CPU per request, the most for tiny responses with thousands in flight "
		"(README, Bench): for applications");
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

static const zend_module_dep h2srv_deps[] = {
	ZEND_MOD_REQUIRED("spl")
	ZEND_MOD_END
};

zend_module_entry h2srv_module_entry = {
	STANDARD_MODULE_HEADER_EX, NULL,
	h2srv_deps,
	"h2srv",
	NULL,
	PHP_MINIT(h2srv),
	PHP_MSHUTDOWN(h2srv),
	NULL,
	NULL,
	PHP_MINFO(h2srv),
	PHP_H2SRV_VERSION,
	PHP_MODULE_GLOBALS(h2srv),
	PHP_GINIT(h2srv),
	NULL,
	ZEND_MODULE_POST_ZEND_DEACTIVATE_N(h2srv),
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_H2SRV
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(h2srv)
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "php_h2srv.h"
#include "websocket.h"
#include "server.h"
#include "ws/socket.h"
#ifndef PHP_WIN32
#include "mailbox.h"
#endif

/*
 * H2srv\WebSocket: the PHP face of an accepted socket. The transport (ws/socket.c) reads and
 * writes the frames; this object holds the callbacks, hands them whole messages, and is found
 * by its id for sendTo(). Its id names the process (its pid) and a number that process never
 * gives twice; a message for a socket of another worker goes through that worker's mailbox.
 */

typedef struct h2srv_websocket {
	h2srv_stream_t *s;
	const h2srv_answer_t *ops; /* how frames reach the socket: this process's, or a reactor's */
	h2srv_server_t *srv;      /* NULL once the id is forgotten (closed, or the server gone) */
	zend_ulong serial;
	pid_t pid;                /* of the process that holds the socket */
	zval on_message, on_close, on_drain;
	zend_fcall_info_cache message_fcc, close_fcc, drain_fcc;
	bool closed;              /* onClose ran (or would have, with none set) */
	bool closing;             /* close() was called: nothing more is sent */
	bool drain_wanted;        /* send() said false: onDrain is owed */
	zend_object std;
} h2srv_websocket_t;

zend_class_entry *h2srv_ce_websocket;
static zend_object_handlers handlers;
static zend_ulong next_serial = 1; /* per process */

static inline h2srv_websocket_t *from_obj(zend_object *obj)
{
	return (h2srv_websocket_t *)((char *)obj - XtOffsetOf(h2srv_websocket_t, std));
}

#define THIS_WS() from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *create(zend_class_entry *ce)
{
	h2srv_websocket_t *w = zend_object_alloc(sizeof(h2srv_websocket_t), ce);

	zend_object_std_init(&w->std, ce);
	w->std.handlers = &handlers;
	w->s = NULL;
	w->srv = NULL;
	w->serial = 0;
	ZVAL_UNDEF(&w->on_message);
	ZVAL_UNDEF(&w->on_close);
	ZVAL_UNDEF(&w->on_drain);
	w->closed = w->closing = w->drain_wanted = false;
	return &w->std;
}

static void forget(h2srv_websocket_t *w)
{
	if (w->srv) {
		zend_hash_index_del(&w->srv->sockets, w->serial);
		w->srv = NULL;
	}
}

static void free_obj(zend_object *obj)
{
	h2srv_websocket_t *w = from_obj(obj);

	forget(w);
	zval_ptr_dtor(&w->on_message);
	zval_ptr_dtor(&w->on_close);
	zval_ptr_dtor(&w->on_drain);
	if (w->s) {
		h2srv_stream_unref(w->s);
	}
	zend_object_std_dtor(obj);
}

static HashTable *get_gc(zend_object *obj, zval **table, int *n)
{
	h2srv_websocket_t *w = from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	/* Callbacks usually hold their socket ($ws in a closure): let the GC see the cycle. */
	zend_get_gc_buffer_add_zval(buf, &w->on_message);
	zend_get_gc_buffer_add_zval(buf, &w->on_close);
	zend_get_gc_buffer_add_zval(buf, &w->on_drain);
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

zend_object *h2srv_websocket_new(h2srv_server_t *srv, h2srv_stream_t *s, const h2srv_answer_t *ops)
{
	zend_object *obj = create(h2srv_ce_websocket);
	h2srv_websocket_t *w = from_obj(obj);
	zval ptr;

	w->s = s;
	w->ops = ops;
	s->refs++;
	w->srv = srv;
	w->serial = next_serial++;
	w->pid = srv->pid;
	ZVAL_PTR(&ptr, obj);
	zend_hash_index_add_new(&srv->sockets, w->serial, &ptr);
	return obj;
}

void h2srv_websocket_input(h2srv_server_t *srv, zend_object *obj)
{
	h2srv_websocket_t *w = from_obj(obj);
	h2srv_stream_t *s = w->s;
	h2srv_ws_in_t in;
	const char *p;

	if (!s->ws) {
		return;
	}
	GC_ADDREF(obj); /* a callback may drop every other reference */
	while (!w->closed && !srv->exiting && (p = h2srv_ws_peek(s, &in))) {
		zval args[2], ret;

		if (in.kind == H2SRV_WS_IN_CLOSE) {
			w->closed = true;
			forget(w);
			ZVAL_LONG(&args[0], (zend_long)((uint8_t)p[0] << 8 | (uint8_t)p[1]));
			ZVAL_STRINGL(&args[1], p + 2, in.len - 2);
			h2srv_ws_taken(s);
			if (!Z_ISUNDEF(w->on_close)) {
				ZVAL_UNDEF(&ret);
				h2srv_server_call_user(srv, &w->close_fcc, &ret, 2, args, "WebSocket onClose");
				zval_ptr_dtor(&ret);
			}
			zval_ptr_dtor(&args[1]);
			/* Never called again: letting go of them breaks the usual cycle (a closure that
			 * holds its socket), so a closed socket goes without waiting for the GC. */
			zval_ptr_dtor(&w->on_message);
			zval_ptr_dtor(&w->on_close);
			zval_ptr_dtor(&w->on_drain);
			ZVAL_UNDEF(&w->on_message);
			ZVAL_UNDEF(&w->on_close);
			ZVAL_UNDEF(&w->on_drain);
			break;
		}
		if (Z_ISUNDEF(w->on_message)) {
			break; /* they wait, and so does the peer once the inbox is full */
		}
		ZVAL_STRINGL(&args[0], p, in.len);
		ZVAL_BOOL(&args[1], in.kind == H2SRV_WS_IN_BINARY);
		h2srv_ws_taken(s);
		ZVAL_UNDEF(&ret);
		if (!h2srv_server_call_user(srv, &w->message_fcc, &ret, 2, args, "WebSocket onMessage") && w->ops->open(s)) {
			w->closing = true;
			w->ops->ws_close(s, H2SRV_WS_INTERNAL, "", 0);
		}
		zval_ptr_dtor(&ret);
		zval_ptr_dtor(&args[0]);
	}
	OBJ_RELEASE(obj);
}

void h2srv_websocket_drain(h2srv_server_t *srv, zend_object *obj)
{
	h2srv_websocket_t *w = from_obj(obj);
	zval ret;

	if (!w->drain_wanted || Z_ISUNDEF(w->on_drain) || srv->exiting) {
		return;
	}
	w->drain_wanted = false;
	GC_ADDREF(obj);
	ZVAL_UNDEF(&ret);
	h2srv_server_call_user(srv, &w->drain_fcc, &ret, 0, NULL, "WebSocket onDrain");
	zval_ptr_dtor(&ret);
	OBJ_RELEASE(obj);
}

/* A message out; false past the high-water mark (onDrain follows) or once closing. */
static bool send_message(h2srv_websocket_t *w, const char *p, size_t len, bool binary)
{
	bool more;

	if (w->closed || w->closing || !w->ops->open(w->s)) {
		return false;
	}
	more = w->ops->ws_send(w->s, binary, p, len);
	if (!more) {
		w->drain_wanted = true;
	}
	return more;
}

static bool send_here(h2srv_server_t *srv, zend_ulong serial, const char *p, size_t len, bool binary)
{
	zval *z = zend_hash_index_find(&srv->sockets, serial);

	return z && send_message(from_obj(Z_PTR_P(z)), p, len, binary);
}

bool h2srv_websocket_send_to(h2srv_server_t *srv, zend_string *id, zend_string *data, bool binary)
{
	char *end;
	unsigned long pid = strtoul(ZSTR_VAL(id), &end, 10);
	zend_ulong serial;

	if (*end != '.' || !end[1]) {
		return false;
	}
	serial = ZEND_STRTOUL(end + 1, NULL, 10);
	if ((pid_t)pid == srv->pid) {
		return send_here(srv, serial, ZSTR_VAL(data), ZSTR_LEN(data), binary);
	}
#ifndef PHP_WIN32
	if (srv->mailbox.fd >= 0) {
		return h2srv_mailbox_send(&srv->mailbox, (pid_t)pid, serial, binary, ZSTR_VAL(data), ZSTR_LEN(data));
	}
#endif
	return false;
}

void h2srv_websocket_mail(void *ctx, uint64_t serial, bool binary, const char *p, size_t len)
{
	h2srv_server_t *srv = ctx;

	/* UTF-8 was checked by the sender's sendTo(); a text message from elsewhere is checked again */
	if (binary || h2srv_ws_utf8(p, len)) {
		send_here(srv, (zend_ulong)serial, p, len, binary);
	}
}

void h2srv_websocket_forget_all(h2srv_server_t *srv)
{
	zval *z;

	ZEND_HASH_FOREACH_VAL(&srv->sockets, z) {
		from_obj(Z_PTR_P(z))->srv = NULL;
	} ZEND_HASH_FOREACH_END();
	zend_hash_clean(&srv->sockets);
}

zend_result h2srv_websocket_check_text(const char *who, const zend_string *data, bool binary)
{
	if (!binary && !h2srv_ws_utf8(ZSTR_VAL(data), ZSTR_LEN(data))) {
		zend_throw_exception_ex(h2srv_ce_exception, 0,
			"%s: a text message must be valid UTF-8; send it with $binary = true", who);
		return FAILURE;
	}
	return SUCCESS;
}

/* ---- methods ---------------------------------------------------------------------------- */

PHP_METHOD(H2srv_WebSocket, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(H2srv_WebSocket, id)
{
	h2srv_websocket_t *w = THIS_WS();

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_STR(zend_strpprintf(0, "%d.%" PRIu64, (int)w->pid, (uint64_t)w->serial));
}

static void set_callback(INTERNAL_FUNCTION_PARAMETERS, size_t which)
{
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	h2srv_websocket_t *w = THIS_WS();
	zval *slot = which == 0 ? &w->on_message : which == 1 ? &w->on_close : &w->on_drain;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();
	h2srv_callback_store(slot, which == 0 ? &w->message_fcc : which == 1 ? &w->close_fcc : &w->drain_fcc, &fci, &fcc);
	/* Messages that came before onMessage was set are handed over from the loop. */
	if (which == 0 && w->s->ws) {
		h2srv_ws_in_t in;
		if (h2srv_ws_peek(w->s, &in)) {
			w->ops->want_input(w->s);
		}
	}
}

PHP_METHOD(H2srv_WebSocket, onMessage)
{
	set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0);
}

PHP_METHOD(H2srv_WebSocket, onClose)
{
	set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

PHP_METHOD(H2srv_WebSocket, onDrain)
{
	set_callback(INTERNAL_FUNCTION_PARAM_PASSTHRU, 2);
}

PHP_METHOD(H2srv_WebSocket, send)
{
	zend_string *data;
	bool binary = false;
	h2srv_websocket_t *w = THIS_WS();

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(binary)
	ZEND_PARSE_PARAMETERS_END();
	if (h2srv_websocket_check_text("WebSocket send()", data, binary) == FAILURE) {
		RETURN_THROWS();
	}
	RETURN_BOOL(send_message(w, ZSTR_VAL(data), ZSTR_LEN(data), binary));
}

PHP_METHOD(H2srv_WebSocket, close)
{
	zend_long code = H2SRV_WS_NORMAL;
	zend_string *reason = NULL;
	h2srv_websocket_t *w = THIS_WS();

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(code)
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();
	if (code < 0 || code > 0xFFFF || !h2srv_ws_code_ok((uint16_t)code) || (code >= 1004 && code <= 1006)) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "WebSocket close(): code " ZEND_LONG_FMT
			" may not be sent (1000-1003, 1007-1014 or 3000-4999)", code);
		RETURN_THROWS();
	}
	if (reason && (ZSTR_LEN(reason) > H2SRV_WS_MAX_CONTROL - 2 || !h2srv_ws_utf8(ZSTR_VAL(reason), ZSTR_LEN(reason)))) {
		zend_throw_exception(h2srv_ce_exception, "WebSocket close(): the reason must be valid UTF-8 of at most 123 bytes", 0);
		RETURN_THROWS();
	}
	if (!w->closed && !w->closing && w->ops->open(w->s)) {
		w->closing = true;
		w->ops->ws_close(w->s, (uint16_t)code, reason ? ZSTR_VAL(reason) : "", reason ? ZSTR_LEN(reason) : 0);
	}
}

void h2srv_websocket_minit(zend_class_entry *ce)
{
	h2srv_ce_websocket = ce;
	ce->create_object = create;
	memcpy(&handlers, zend_get_std_object_handlers(), sizeof(handlers));
	handlers.offset = XtOffsetOf(h2srv_websocket_t, std);
	handlers.free_obj = free_obj;
	handlers.get_gc = get_gc;
	handlers.clone_obj = NULL;
}

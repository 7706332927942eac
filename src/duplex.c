#include "php.h"
#include "zend_exceptions.h"
#include "php_h2srv.h"
#include "duplex.h"
#include "response.h"
#include "request.h"
#include "server.h"
#include "proto.h"
#include "websocket.h"
#include "ws/socket.h"
#include "ext/standard/base64.h"
#include "ext/standard/sha1.h"

#define from_obj h2srv_response_from_obj
#define THIS_RES() from_obj(Z_OBJ_P(ZEND_THIS))

/* The response's duplex part, made on first use. */
static h2srv_duplex_t *duplex_of(h2srv_response_t *r)
{
	if (!r->duplex) {
		h2srv_duplex_t *d = ecalloc(1, sizeof(*d));
		ZVAL_UNDEF(&d->on_chunk);
		ZVAL_UNDEF(&d->on_end);
		ZVAL_UNDEF(&d->on_drain);
		r->duplex = d;
	}
	return r->duplex;
}

void h2srv_duplex_produce(h2srv_server_t *srv, h2srv_response_t *r)
{
	h2srv_duplex_t *d = r->duplex;
	zval ret;

	if (!d) {
		return; /* write() with no onDrain set */
	}
	if (d->ws) {
		h2srv_websocket_drain(srv, d->ws);
		return;
	}
	if (!d->drain_wanted || Z_ISUNDEF(d->on_drain) || srv->exiting) {
		return;
	}
	d->drain_wanted = false;
	GC_ADDREF(&r->std);
	ZVAL_UNDEF(&ret);
	h2srv_server_call_user(srv, &d->drain_fcc, &ret, 0, NULL, "Response onDrain");
	zval_ptr_dtor(&ret);
	OBJ_RELEASE(&r->std);
}

void h2srv_duplex_closed(h2srv_server_t *srv, h2srv_response_t *r)
{
	if (r->duplex->ws) {
		/* What the socket read before it went, then its close (1006 if none came). */
		h2srv_ws_gone(r->s);
		h2srv_websocket_input(srv, r->duplex->ws);
	}
}

void h2srv_duplex_gc(h2srv_response_t *r, zend_get_gc_buffer *buf)
{
	h2srv_duplex_t *d = r->duplex;

	zend_get_gc_buffer_add_zval(buf, &d->on_chunk);
	zend_get_gc_buffer_add_zval(buf, &d->on_end);
	zend_get_gc_buffer_add_zval(buf, &d->on_drain);
	if (d->ws) {
		zend_get_gc_buffer_add_obj(buf, d->ws);
	}
}

void h2srv_duplex_free(h2srv_response_t *r)
{
	h2srv_duplex_t *d = r->duplex;

	zval_ptr_dtor(&d->on_chunk);
	zval_ptr_dtor(&d->on_end);
	zval_ptr_dtor(&d->on_drain);
	if (d->ws) {
		OBJ_RELEASE(d->ws);
	}
	efree(d);
	r->duplex = NULL;
}

/* ---- write() and onDrain() -------------------------------------------------------------- */

PHP_METHOD(H2srv_Response, write)
{
	zend_string *chunk;
	h2srv_response_t *r = THIS_RES();
	bool more;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(chunk)
	ZEND_PARSE_PARAMETERS_END();
	if (!r->writing) {
		body_source_t b = {.fd = -1, .size = -1, .fed = true};
		if (r->ended) {
			zend_throw_exception(h2srv_ce_exception, "write(): the response was already sent by end(), stream(), sendFile() or acceptWebSocket()", 0);
			RETURN_THROWS();
		}
		r->writing = true;
		h2srv_response_send(r, &b, true);
	}
	if (!r->ops->open(r->s)) {
		RETURN_FALSE;
	}
	more = ZSTR_LEN(chunk) ? h2srv_response_put(r, ZSTR_VAL(chunk), ZSTR_LEN(chunk), false) : r->s->out_q.len - r->s->out_q_off < H2SRV_FED_HIGH;
	if (!more) {
		duplex_of(r)->drain_wanted = true;
	}
	RETURN_BOOL(more);
}

PHP_METHOD(H2srv_Response, onDrain)
{
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	h2srv_response_t *r = THIS_RES();
	h2srv_duplex_t *d;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();
	d = duplex_of(r);
	h2srv_callback_store(&d->on_drain, &d->drain_fcc, &fci, &fcc);
	RETURN_OBJ_COPY(&r->std);
}

void h2srv_response_early(zend_object *obj, h2srv_server_t *srv)
{
	h2srv_response_t *r = from_obj(obj);
	h2srv_stream_t *s = r->s;

	duplex_of(r)->srv = srv;
	if (s->flags & H2SRV_STREAM_WS) {
		r->status = 403; /* a handshake the handler does not accept */
	}
	GC_ADDREF(obj);
	s->side_data = obj;
}

zend_result h2srv_response_on_body(h2srv_stream_t *s, zend_fcall_info *chunk, zend_fcall_info_cache *chunk_fcc,
	zend_fcall_info *end, zend_fcall_info_cache *end_fcc)
{
	h2srv_duplex_t *d;

	if (!(s->flags & H2SRV_STREAM_EARLY) || !s->side_data) {
		return FAILURE;
	}
	d = duplex_of(from_obj(s->side_data));
	h2srv_callback_store(&d->on_chunk, &d->chunk_fcc, chunk, chunk_fcc);
	if (end) {
		h2srv_callback_store(&d->on_end, &d->end_fcc, end, end_fcc);
	}
	/* What came before the callbacks were set is handed over from the loop. */
	if (s->body.len || (s->flags & H2SRV_STREAM_REQ_DONE)) {
		from_obj(s->side_data)->ops->want_input(s);
	}
	return SUCCESS;
}

void h2srv_response_input(h2srv_server_t *srv, h2srv_stream_t *s)
{
	h2srv_response_t *r;
	h2srv_duplex_t *d;

	if (!s->side_data || !(d = (r = from_obj(s->side_data))->duplex)) {
		return;
	}
	if (d->ws) {
		h2srv_websocket_input(srv, d->ws);
		return;
	}
	if (Z_ISUNDEF(d->on_chunk)) {
		return; /* the bytes wait, uncredited: the peer's window closes behind them */
	}
	GC_ADDREF(&r->std);
	while (s->body.len && r->ops->open(s) && !srv->exiting) {
		size_t n = s->body.len;
		zval arg, ret;

		ZVAL_STRINGL(&arg, s->body.data, n);
		s->body.len = 0;
		r->ops->consumed(s, n);
		ZVAL_UNDEF(&ret);
		if (!h2srv_server_call_user(srv, &d->chunk_fcc, &ret, 1, &arg, "onBody chunk callback")) {
			r->ops->reset(s);
		}
		zval_ptr_dtor(&ret);
		zval_ptr_dtor(&arg);
	}
	if ((s->flags & H2SRV_STREAM_REQ_DONE) && !d->told_end && !srv->exiting && s->body.len == 0) {
		d->told_end = true;
		if (!Z_ISUNDEF(d->on_end)) {
			zval arg, ret;
			h2srv_request_trailers(s, &arg);
			ZVAL_UNDEF(&ret);
			if (!h2srv_server_call_user(srv, &d->end_fcc, &ret, 1, &arg, "onBody end callback")) {
				r->ops->reset(s);
			}
			zval_ptr_dtor(&ret);
			zval_ptr_dtor(&arg);
		}
	}
	OBJ_RELEASE(&r->std);
}

/* RFC 6455 §4.2.2: base64(SHA-1(key . GUID)). */
static zend_string *accept_key(const char *key, size_t len)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	PHP_SHA1_CTX ctx;
	unsigned char digest[20];

	PHP_SHA1Init(&ctx);
	PHP_SHA1Update(&ctx, (const unsigned char *)key, len);
	PHP_SHA1Update(&ctx, (const unsigned char *)guid, sizeof(guid) - 1);
	PHP_SHA1Final(digest, &ctx);
	return php_base64_encode(digest, sizeof(digest));
}

/* Whether the comma-separated list |list| has |tok| (exact, spaces around ignored). */
static bool lists(const zend_string *list, const zend_string *tok)
{
	const char *p = ZSTR_VAL(list), *end = p + ZSTR_LEN(list);

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *stop = comma ? comma : end;
		const char *a = p, *b = stop;
		while (a < b && (*a == ' ' || *a == '\t')) {
			a++;
		}
		while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if ((size_t)(b - a) == ZSTR_LEN(tok) && memcmp(a, ZSTR_VAL(tok), ZSTR_LEN(tok)) == 0) {
			return true;
		}
		p = stop + 1;
	}
	return false;
}

PHP_METHOD(H2srv_Response, acceptWebSocket)
{
	HashTable *options = NULL;
	h2srv_response_t *r = THIS_RES();
	h2srv_stream_t *s = r->s;
	zend_string *subprotocol = NULL, *offered, *key = NULL, *accept = NULL, *extensions;
	bool compression = false, deflating = false;
	h2srv_ws_deflate_t deflate;
	char answer[160];
	body_source_t b = {.fd = -1, .size = -1, .fed = true};
	zend_string *name;
	zval *v;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();
	if (!h2srv_request_is_websocket(s) || !r->duplex || !r->duplex->srv) {
		zend_throw_exception(h2srv_ce_exception, "acceptWebSocket(): the request is not a WebSocket handshake "
			"(see Request::isWebSocket())", 0);
		RETURN_THROWS();
	}
	if (r->ended) {
		zend_throw_exception(h2srv_ce_exception, "acceptWebSocket(): the response was already sent", 0);
		RETURN_THROWS();
	}
	if (options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(options, name, v) {
			if (name && zend_string_equals_literal(name, "subprotocol") && Z_TYPE_P(v) == IS_STRING) {
				subprotocol = Z_STR_P(v);
			} else if (name && zend_string_equals_literal(name, "subprotocol") && Z_TYPE_P(v) == IS_NULL) {
				continue;
			} else if (name && zend_string_equals_literal(name, "compression") && (Z_TYPE_P(v) == IS_FALSE || Z_TYPE_P(v) == IS_TRUE)) {
				compression = Z_TYPE_P(v) == IS_TRUE;
			} else {
				zend_throw_exception_ex(h2srv_ce_exception, 0, "acceptWebSocket(): unknown or mistyped option \"%s\" "
					"(known: subprotocol string, compression bool)", name ? ZSTR_VAL(name) : "(numeric)");
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
	}
	if (subprotocol) {
		offered = h2srv_request_header(s, "sec-websocket-protocol");
		if (!offered || !lists(offered, subprotocol)) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "acceptWebSocket(): subprotocol \"%s\" was not offered "
				"by the client (it offered: %s)", ZSTR_VAL(subprotocol), offered ? ZSTR_VAL(offered) : "none");
			if (offered) {
				zend_string_release(offered);
			}
			RETURN_THROWS();
		}
		zend_string_release(offered);
		h2srv_response_add_header(r, "sec-websocket-protocol", 22, ZSTR_VAL(subprotocol), ZSTR_LEN(subprotocol));
	}
	/* permessage-deflate (RFC 7692), when asked for and the client offers an acceptable form */
	if (compression && (extensions = h2srv_request_header(s, "sec-websocket-extensions"))) {
		deflating = h2srv_ws_deflate_negotiate(ZSTR_VAL(extensions), ZSTR_LEN(extensions), &deflate, answer, sizeof(answer));
		zend_string_release(extensions);
		if (deflating) {
			h2srv_response_add_header(r, "sec-websocket-extensions", 24, answer, strlen(answer));
		}
	}
	if (h2srv_proto_is_h1(s)) {
		key = h2srv_request_header(s, "sec-websocket-key");
		accept = accept_key(ZSTR_VAL(key), ZSTR_LEN(key));
		h2srv_response_add_header(r, "upgrade", 7, "websocket", 9);
		h2srv_response_add_header(r, "connection", 10, "Upgrade", 7);
		h2srv_response_add_header(r, "sec-websocket-accept", 20, ZSTR_VAL(accept), ZSTR_LEN(accept));
		zend_string_release(key);
		zend_string_release(accept);
		r->status = 101;
	} else {
		r->status = 200;
	}
	r->no_compress = true;
	h2srv_response_send(r, &b, true); /* a fed body, pushed: the frames */
	deflate.in = NULL;
	if (r->ops->open(s)) {
		r->ops->ws_open(s, deflating ? &deflate : NULL);
	}
	/* (if the peer went before the answer: a socket that sends nothing and hears its close) */
	r->duplex->ws = h2srv_websocket_new(r->duplex->srv, s, r->ops);
	GC_ADDREF(r->duplex->ws);
	RETURN_OBJ(r->duplex->ws);
}


#include "php.h"
#include "log.h"
#include "zend_exceptions.h"
#include "php_h2srv.h"
#include "response.h"
#include "conn.h"
#include "h2/session.h"

typedef struct h2srv_response {
	h2srv_stream_t *s;
	zend_string **hdrs;   /* name, value, name, value… (names lower-case) */
	uint32_t nhdrs;       /* strings in |hdrs|: twice the header count */
	uint32_t cap_hdrs;
	uint16_t status;
	bool ended;
	zend_object std;
} h2srv_response_t;

zend_class_entry *h2srv_ce_response;
static zend_object_handlers handlers;

static inline h2srv_response_t *from_obj(zend_object *obj)
{
	return (h2srv_response_t *)((char *)obj - XtOffsetOf(h2srv_response_t, std));
}

#define THIS_RES() from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *create(zend_class_entry *ce)
{
	h2srv_response_t *r = zend_object_alloc(sizeof(h2srv_response_t), ce);

	zend_object_std_init(&r->std, ce);
	r->std.handlers = &handlers;
	r->s = NULL;
	r->hdrs = NULL;
	r->nhdrs = r->cap_hdrs = 0;
	r->status = 200;
	r->ended = false;
	return &r->std;
}

static void release_headers(h2srv_response_t *r)
{
	for (uint32_t i = 0; i < r->nhdrs; i++) {
		zend_string_release(r->hdrs[i]);
	}
	r->nhdrs = 0;
}

/* Submits the response; a live object (|keep|) goes to the stream, which releases it in on_stream_close. */
static void send_response(h2srv_response_t *r, zend_string *body, bool keep)
{
	h2srv_stream_t *s = r->s;
	nghttp2_nv stack[16], *nv = stack;
	uint32_t n = r->nhdrs / 2;

	r->ended = true;
	if (!s->h2) {
		zend_string_release(body); /* the peer is gone: nothing to send to */
		release_headers(r);
		return;
	}
	if (n > sizeof(stack) / sizeof(stack[0])) {
		nv = emalloc(n * sizeof(*nv));
	}
	for (uint32_t i = 0; i < n; i++) {
		zend_string *name = r->hdrs[2 * i], *value = r->hdrs[2 * i + 1];
		nv[i].name = (uint8_t *)ZSTR_VAL(name);
		nv[i].namelen = ZSTR_LEN(name);
		nv[i].value = (uint8_t *)ZSTR_VAL(value);
		nv[i].valuelen = ZSTR_LEN(value);
		nv[i].flags = NGHTTP2_NV_FLAG_NONE;
	}
	if (h2srv_h2_respond(s, r->status, nv, n, body) == 0 && s->h2) {
		if (keep) {
			GC_ADDREF(&r->std);
			s->res_obj = &r->std;
		}
		h2srv_conn_want_emit(s->h2->owner);
	}
	if (nv != stack) {
		efree(nv);
	}
	release_headers(r);
}

static void log_path(const char *what, h2srv_stream_t *s)
{
	int mlen, plen;
	const char *m = h2srv_field_or_unknown(s, s->f_method, &mlen);
	const char *p = h2srv_field_or_unknown(s, s->f_path, &plen);

	h2srv_log(H2SRV_LOG_ERROR, "%s for %.*s %.*s; answered 500", what, mlen, m, plen, p);
}

static void free_obj(zend_object *obj)
{
	h2srv_response_t *r = from_obj(obj);

	/* The last PHP reference is gone and nobody can end() it any more. */
	if (!r->ended && r->s && r->s->h2) {
		log_path("response dropped without end()", r->s);
		r->status = 500;
		release_headers(r);
		send_response(r, ZSTR_EMPTY_ALLOC(), false);
	}
	release_headers(r);
	if (r->hdrs) {
		efree(r->hdrs);
	}
	if (r->s) {
		h2srv_stream_unref(r->s);
	}
	zend_object_std_dtor(obj);
}

zend_object *h2srv_response_new(h2srv_stream_t *s)
{
	zend_object *obj = create(h2srv_ce_response);

	from_obj(obj)->s = s;
	s->refs++;
	return obj;
}

bool h2srv_response_ended(zend_object *obj)
{
	return from_obj(obj)->ended;
}

void h2srv_response_fail(zend_object *obj, int status)
{
	h2srv_response_t *r = from_obj(obj);

	if (r->ended) {
		return;
	}
	r->status = (uint16_t)status;
	release_headers(r);
	send_response(r, ZSTR_EMPTY_ALLOC(), true);
}

static bool check_open(h2srv_response_t *r)
{
	if (r->ended) {
		zend_throw_exception(h2srv_ce_exception, "the response has already ended", 0);
		return false;
	}
	return true;
}

PHP_METHOD(H2srv_Response, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(H2srv_Response, status)
{
	zend_long code;
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(code)
	ZEND_PARSE_PARAMETERS_END();
	if (!check_open(r)) {
		RETURN_THROWS();
	}
	/* 1xx are interim answers that end() cannot carry. */
	if (code < 200 || code > 599) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "status " ZEND_LONG_FMT " is not a final HTTP status (200-599)", code);
		RETURN_THROWS();
	}
	r->status = (uint16_t)code;
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

/* RFC 9110 §5.6.2 token characters. */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		|| (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 9113 §8.2.2: these belong to HTTP/1.1 connections and make an HTTP/2 message malformed. */
static bool is_connection_specific(const zend_string *lower)
{
	static const char *const names[] = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (zend_string_equals_cstr(lower, names[i], strlen(names[i]))) {
			return true;
		}
	}
	return false;
}

static const char *bad_value(const zend_string *v)
{
	const char *p = ZSTR_VAL(v);
	size_t len = ZSTR_LEN(v);

	if (len && (p[0] == ' ' || p[0] == '\t' || p[len - 1] == ' ' || p[len - 1] == '\t')) {
		return "starts or ends with whitespace";
	}
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\r' || p[i] == '\n' || p[i] == '\0') {
			return "contains CR, LF or NUL";
		}
	}
	return NULL;
}

PHP_METHOD(H2srv_Response, header)
{
	zend_string *name, *value, *lower;
	h2srv_response_t *r = THIS_RES();
	const char *why;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(name)
		Z_PARAM_STR(value)
	ZEND_PARSE_PARAMETERS_END();
	if (!check_open(r)) {
		RETURN_THROWS();
	}
	if (ZSTR_LEN(name) == 0) {
		zend_throw_exception(h2srv_ce_exception, "header name is empty", 0);
		RETURN_THROWS();
	}
	for (size_t i = 0; i < ZSTR_LEN(name); i++) {
		if (!is_tchar((unsigned char)ZSTR_VAL(name)[i])) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "header name \"%s\" has an invalid character at offset %zu",
				ZSTR_VAL(name), i);
			RETURN_THROWS();
		}
	}
	lower = zend_string_tolower(name);
	if (is_connection_specific(lower) || zend_string_equals_literal(lower, "content-length")) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, is_connection_specific(lower)
			? "header \"%s\" is connection-specific and not allowed in HTTP/2"
			: "header \"%s\" is set by end() from the body", ZSTR_VAL(lower));
		zend_string_release(lower);
		RETURN_THROWS();
	}
	if ((why = bad_value(value)) != NULL) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "value of header \"%s\" %s", ZSTR_VAL(lower), why);
		zend_string_release(lower);
		RETURN_THROWS();
	}
	if (r->nhdrs + 2 > r->cap_hdrs) {
		r->cap_hdrs = r->cap_hdrs ? r->cap_hdrs * 2 : 8;
		r->hdrs = erealloc(r->hdrs, r->cap_hdrs * sizeof(*r->hdrs));
	}
	r->hdrs[r->nhdrs++] = lower;
	r->hdrs[r->nhdrs++] = zend_string_copy(value);
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(H2srv_Response, end)
{
	zend_string *body = ZSTR_EMPTY_ALLOC();
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(body)
	ZEND_PARSE_PARAMETERS_END();
	if (r->ended) {
		zend_throw_exception(h2srv_ce_exception, "end() was already called for this response", 0);
		RETURN_THROWS();
	}
	send_response(r, zend_string_copy(body), true);
}

void h2srv_response_minit(zend_class_entry *ce)
{
	h2srv_ce_response = ce;
	h2srv_ce_response->create_object = create;
	memcpy(&handlers, zend_get_std_object_handlers(), sizeof(handlers));
	handlers.offset = XtOffsetOf(h2srv_response_t, std);
	handlers.free_obj = free_obj;
	handlers.clone_obj = NULL;
}

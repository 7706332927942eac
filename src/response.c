#include "php.h"
#include "log.h"
#include "zend_exceptions.h"
#include "php_h2srv.h"
#include "response.h"
#include "proto.h"
#include "conditional.h"
#include "compress.h"
#include "answer.h"
#include "h2/session.h"
#include "server.h"
#include "response_obj.h"
#include "duplex.h"
#include "ws/socket.h"
#include <fcntl.h>
#include <sys/stat.h>



zend_class_entry *h2srv_ce_response;
static zend_object_handlers handlers;

#define from_obj h2srv_response_from_obj
#define THIS_RES() from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *create(zend_class_entry *ce)
{
	h2srv_response_t *r = zend_object_alloc(sizeof(h2srv_response_t), ce);

	zend_object_std_init(&r->std, ce);
	r->std.handlers = &handlers;
	r->s = NULL;
	r->hdrs = NULL;
	r->nhdrs = r->cap_hdrs = 0;
	r->trailers = NULL;
	r->ntrailers = r->cap_trailers = 0;
	ZVAL_UNDEF(&r->producer);
	r->status = 200;
	r->ended = r->streaming = r->paused = r->no_compress = false;
	r->writing = false;
	r->duplex = NULL;
	r->cz = NULL;
	r->stats = NULL;
	r->deflater = NULL;
	return &r->std;
}

static void release_headers(h2srv_response_t *r)
{
	for (uint32_t i = 0; i < r->nhdrs; i++) {
		zend_string_release(r->hdrs[i]);
	}
	r->nhdrs = 0;
}

void h2srv_response_release_trailers(h2srv_response_t *r)
{
	for (uint32_t i = 0; i < r->ntrailers; i++) {
		zend_string_release(r->trailers[i]);
	}
	if (r->trailers) {
		efree(r->trailers);
	}
	r->trailers = NULL;
	r->ntrailers = r->cap_trailers = 0;
}



/* The value of response header |name| (lower case) the handler set, or NULL. */
static zend_string *header_value(const h2srv_response_t *r, const char *name, size_t len)
{
	for (uint32_t i = 0; i < r->nhdrs; i += 2) {
		if (ZSTR_LEN(r->hdrs[i]) == len && memcmp(ZSTR_VAL(r->hdrs[i]), name, len) == 0) {
			return r->hdrs[i + 1];
		}
	}
	return NULL;
}

void h2srv_response_add_header(h2srv_response_t *r, const char *name, size_t nlen, const char *value, size_t vlen)
{
	if (r->nhdrs + 2 > r->cap_hdrs) {
		r->cap_hdrs = r->cap_hdrs ? r->cap_hdrs * 2 : 8;
		r->hdrs = erealloc(r->hdrs, r->cap_hdrs * sizeof(*r->hdrs));
	}
	r->hdrs[r->nhdrs++] = zend_string_init_interned(name, nlen, 0);
	r->hdrs[r->nhdrs++] = zend_string_init(value, vlen, 0);
}

/* The compression option applied to a response about to go (see compress.h): an end() body is
 * coded whole when that makes it smaller, a stream() body gets a deflater for its pieces. Any
 * response that could have been coded says so with vary. */
static void compress_body(h2srv_response_t *r, body_source_t *b)
{
	zend_string *ct = header_value(r, "content-type", 12);
	h2srv_coding_t c;
	uint16_t st = r->status;

	if ((b->fed && b->fd >= 0) || st < 200 || st == 204 || st == 206 || st == 304
		|| (r->s->flags & H2SRV_STREAM_HEAD) || !ct || header_value(r, "content-encoding", 16)
		|| !h2srv_compress_type(r->cz, ZSTR_VAL(ct), ZSTR_LEN(ct))
		|| (!b->fed && (!b->str || ZSTR_LEN(b->str) < r->cz->min_size))) {
		return;
	}
	h2srv_response_add_header(r, "vary", 4, "accept-encoding", 15);
	if ((c = h2srv_compress_negotiate(r->cz, r->s)) == H2SRV_CODING_NONE) {
		return;
	}
	if (b->fed) {
		if ((r->deflater = h2srv_deflater_new(r->cz, c))) {
			h2srv_response_add_header(r, "content-encoding", 16, h2srv_coding_name(c), strlen(h2srv_coding_name(c)));
		}
		return;
	}
	{
		zend_string *z = h2srv_compress_all(r->cz, c, ZSTR_VAL(b->str), ZSTR_LEN(b->str));
		if (!z || ZSTR_LEN(z) >= ZSTR_LEN(b->str)) {
			if (z) {
				zend_string_release(z);
			}
			return;
		}
		r->stats->compress_in += ZSTR_LEN(b->str);
		r->stats->compress_out += ZSTR_LEN(z);
		zend_string_release(b->str);
		b->str = z;
		h2srv_response_add_header(r, "content-encoding", 16, h2srv_coding_name(c), strlen(h2srv_coding_name(c)));
	}
}

/* A piece of a stream() body, coded when the response is compressed; returns whether the
 * producer should go on. */
bool h2srv_response_put(h2srv_response_t *r, const char *p, size_t n, bool last)
{
	const char *out;
	size_t len;

	if (!r->deflater) {
		return r->ops->write(r->s, p, n, last);
	}
	out = h2srv_deflater_write(r->deflater, p, n, last, &len);
	if (!out) {
		h2srv_log(H2SRV_LOG_ERROR, "compressing a stream() body failed; stream reset");
		r->ops->reset(r->s);
		return false;
	}
	r->stats->compress_in += n;
	r->stats->compress_out += len;
	if (last) {
		bool more = r->ops->write(r->s, out, len, true);
		h2srv_deflater_free(r->deflater);
		r->deflater = NULL;
		return more;
	}
	return len ? r->ops->write(r->s, out, len, false) : true;
}

/* Submits the response; a live object (|keep|) is kept as the stream's side data until the
 * stream closes (h2srv_response_closed). */
void h2srv_response_send(h2srv_response_t *r, body_source_t *b, bool keep)
{
	h2srv_stream_t *s = r->s;
	nghttp2_nv stack[16], *nv = stack;
	uint32_t n = r->nhdrs / 2;
	int rv;

	r->ended = true;
	if (!r->ops->open(s)) {
		/* the peer is gone: nothing to send to */
		if (b->str) {
			zend_string_release(b->str);
		}
		if (b->fd >= 0) {
			close(b->fd);
		}
		release_headers(r);
		h2srv_response_release_trailers(r);
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
	if (r->cz && !r->no_compress) {
		compress_body(r, b);
		n = r->nhdrs / 2;
		if (n > sizeof(stack) / sizeof(stack[0]) && nv == stack) {
			nv = emalloc(n * sizeof(*nv));
		}
		for (uint32_t i = 0; i < n; i++) {
			nv[i] = (nghttp2_nv){(uint8_t *)ZSTR_VAL(r->hdrs[2 * i]), (uint8_t *)ZSTR_VAL(r->hdrs[2 * i + 1]),
				ZSTR_LEN(r->hdrs[2 * i]), ZSTR_LEN(r->hdrs[2 * i + 1]), NGHTTP2_NV_FLAG_NONE};
		}
	}
	if (UNEXPECTED(r->ntrailers) && !r->writing) {
		r->ops->set_trailers(s, r->trailers, r->ntrailers); /* the stream owns them now */
		r->trailers = NULL;
		r->ntrailers = r->cap_trailers = 0;
	}
	rv = b->fed ? r->ops->respond_fed(s, r->status, nv, n, b->fd, b->size)
		: r->ops->respond(s, r->status, nv, n, b->str);
	if (rv == 0 && keep && r->ops->open(s) && !s->side_data) {
		GC_ADDREF(&r->std);
		s->side_data = &r->std;
	}
	if (nv != stack) {
		efree(nv);
	}
	release_headers(r);
}

static void send_string(h2srv_response_t *r, zend_string *body, bool keep)
{
	body_source_t b = {.str = body, .fd = -1};

	h2srv_response_send(r, &b, keep);
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
	if (r->writing && r->s && r->ops->open(r->s)) {
		int plen;
		const char *path = h2srv_field_or_unknown(r->s, r->s->f_path, &plen);
		h2srv_log(H2SRV_LOG_ERROR, "response to %.*s dropped after write() without end(); stream reset", plen, path);
		r->ops->reset(r->s);
	}
	if (!r->ended && r->s && r->ops->open(r->s)) {
		log_path("response dropped without end()", r->s);
		r->status = 500;
		release_headers(r);
		h2srv_response_release_trailers(r);
		send_string(r, ZSTR_EMPTY_ALLOC(), false);
	}
	h2srv_deflater_free(r->deflater);
	r->deflater = NULL;
	release_headers(r);
	h2srv_response_release_trailers(r);
	zval_ptr_dtor(&r->producer);
	if (r->duplex) {
		h2srv_duplex_free(r);
	}
	if (r->hdrs) {
		efree(r->hdrs);
	}
	if (r->s) {
		h2srv_stream_unref(r->s);
	}
	zend_object_std_dtor(obj);
}

zend_object *h2srv_response_new(h2srv_stream_t *s, const h2srv_answer_t *ops, const h2srv_compress_t *cz,
	h2srv_stats_t *stats)
{
	zend_object *obj = create(h2srv_ce_response);

	from_obj(obj)->s = s;
	from_obj(obj)->ops = ops;
	from_obj(obj)->cz = cz && cz->norder ? cz : NULL;
	from_obj(obj)->stats = stats;
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
		if (r->writing && r->ops->open(r->s)) {
			r->writing = false;
			r->ops->reset(r->s); /* written in part: the peer must see it cut short */
		}
		return;
	}
	if (status) {
		r->status = (uint16_t)status;
	}
	release_headers(r);
	h2srv_response_release_trailers(r);
	send_string(r, ZSTR_EMPTY_ALLOC(), true);
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

/* Checks a header or trailer field from PHP; returns its lower-cased name, or NULL after
 * throwing an exception that names the problem. */
static zend_string *checked_name(zend_string *name, zend_string *value, const char *kind)
{
	zend_string *lower;
	const char *why;

	if (ZSTR_LEN(name) == 0) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "%s name is empty", kind);
		return NULL;
	}
	for (size_t i = 0; i < ZSTR_LEN(name); i++) {
		if (!is_tchar((unsigned char)ZSTR_VAL(name)[i])) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "%s name \"%s\" has an invalid character at offset %zu",
				kind, ZSTR_VAL(name), i);
			return NULL;
		}
	}
	lower = zend_string_tolower(name);
	if (is_connection_specific(lower) || zend_string_equals_literal(lower, "content-length")) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, is_connection_specific(lower)
			? "%s \"%s\" is connection-specific and not allowed in HTTP/2"
			: "%s \"%s\" is set by the server from the body", kind, ZSTR_VAL(lower));
		zend_string_release(lower);
		return NULL;
	}
	if ((why = bad_value(value)) != NULL) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "value of %s \"%s\" %s", kind, ZSTR_VAL(lower), why);
		zend_string_release(lower);
		return NULL;
	}
	return lower;
}

static void add_pair(zend_string ***arr, uint32_t *n, uint32_t *cap, zend_string *name, zend_string *value)
{
	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*arr = erealloc(*arr, *cap * sizeof(**arr));
	}
	(*arr)[(*n)++] = name;
	(*arr)[(*n)++] = zend_string_copy(value);
}

/* header() and trailer(): one field, checked, added to the headers or the trailers. */
static void add_field(INTERNAL_FUNCTION_PARAMETERS, bool trailer)
{
	zend_string *name, *value, *lower;
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(name)
		Z_PARAM_STR(value)
	ZEND_PARSE_PARAMETERS_END();
	/* Trailers may still come between write() and end(). */
	if (!(trailer && r->writing) && !check_open(r)) {
		RETURN_THROWS();
	}
	if (!(lower = checked_name(name, value, trailer ? "trailer" : "header"))) {
		RETURN_THROWS();
	}
	if (!trailer) {
		add_pair(&r->hdrs, &r->nhdrs, &r->cap_hdrs, lower, value);
	} else if (r->ntrailers / 2 < H2SRV_MAX_TRAILERS) {
		add_pair(&r->trailers, &r->ntrailers, &r->cap_trailers, lower, value);
	} else {
		zend_string_release(lower);
		zend_throw_exception_ex(h2srv_ce_exception, 0, "more than %d trailers", H2SRV_MAX_TRAILERS);
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(H2srv_Response, header)
{
	add_field(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(H2srv_Response, trailer)
{
	add_field(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

PHP_METHOD(H2srv_Response, stream)
{
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	h2srv_response_t *r = THIS_RES();
	body_source_t b = {.fd = -1, .size = -1, .fed = true};

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();
	if (!check_open(r)) {
		RETURN_THROWS();
	}
	ZVAL_COPY(&r->producer, &fci.function_name);
	r->producer_fcc = fcc;
	r->streaming = true;
	h2srv_response_send(r, &b, true);
}

/* sendFile() as a static mount answers: validators, then 304 to a matching conditional
 * request, 206 to one Range (416 when it lies past the end), or the whole file. */
static void negotiate_file(h2srv_response_t *r, body_source_t *b, const struct stat *st)
{
	h2srv_validators_t v;
	uint64_t from, len;
	int status = h2srv_conditional_answer(r->s, st, r->s->flags & H2SRV_STREAM_HEAD, &v, &from, &len);

	h2srv_response_add_header(r, "etag", 4, v.etag, v.etag_len);
	h2srv_response_add_header(r, "last-modified", 13, v.last_modified, v.last_modified_len);
	if (status == 304 || status == 416) {
		close(b->fd);
		b->fd = -1;
		b->fed = false;
		b->str = NULL;
	} else {
		h2srv_response_add_header(r, "accept-ranges", 13, "bytes", 5);
	}
	if (status == 206 && lseek(b->fd, (off_t)from, SEEK_SET) != (off_t)from) {
		return; /* the whole file, then */
	}
	if (v.content_range_len) {
		h2srv_response_add_header(r, "content-range", 13, v.content_range, v.content_range_len);
	}
	if (status == 206) {
		b->size = (int64_t)len;
	}
	r->status = (uint16_t)status;
}

PHP_METHOD(H2srv_Response, sendFile)
{
	zend_string *path, *type = NULL;
	h2srv_response_t *r = THIS_RES();
	body_source_t b = {.fed = true};
	struct stat st;
	const char *why = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_PATH_STR(path)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(type)
	ZEND_PARSE_PARAMETERS_END();
	if (!check_open(r)) {
		RETURN_THROWS();
	}
	if (type && (why = bad_value(type)) != NULL) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "content type %s", why);
		RETURN_THROWS();
	}
	/* Checked before any header goes out: a missing file is the caller's error, not a 500. */
	b.fd = open(ZSTR_VAL(path), O_RDONLY | O_CLOEXEC);
	if (b.fd < 0 || fstat(b.fd, &st) != 0) {
		why = strerror(errno);
	} else if (S_ISDIR(st.st_mode)) {
		why = "it is a directory";
	} else if (!S_ISREG(st.st_mode)) {
		why = "not a regular file";
	}
	if (why) {
		if (b.fd >= 0) {
			close(b.fd);
		}
		zend_throw_exception_ex(h2srv_ce_exception, 0, "cannot send file \"%s\": %s", ZSTR_VAL(path), why);
		RETURN_THROWS();
	}
	b.size = (int64_t)st.st_size;
	if (type) {
		add_pair(&r->hdrs, &r->nhdrs, &r->cap_hdrs, zend_string_init_interned("content-type", 12, 0), type);
	}
	if (r->status == 200 && !header_value(r, "etag", 4) && !header_value(r, "last-modified", 13)) {
		negotiate_file(r, &b, &st);
	}
	h2srv_response_send(r, &b, true);
}

PHP_METHOD(H2srv_Response, compress)
{
	bool on;
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_BOOL(on)
	ZEND_PARSE_PARAMETERS_END();
	if (r->ended) {
		zend_throw_exception(h2srv_ce_exception, "compress() comes before end(), stream() or sendFile()", 0);
		RETURN_THROWS();
	}
	r->no_compress = !on;
	RETURN_OBJ_COPY(&r->std);
}

PHP_METHOD(H2srv_Response, resume)
{
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_NONE();
	if (!r->streaming) {
		zend_throw_exception(h2srv_ce_exception, "resume() is for a response sent with stream()", 0);
		RETURN_THROWS();
	}
	if (r->paused) {
		r->paused = false;
		r->ops->want_more(r->s);
	}
}

void h2srv_response_closed(h2srv_server_t *srv, h2srv_stream_t *s)
{
	zend_object *res = s->side_data;
	h2srv_response_t *r = from_obj(res);

	s->side_data = NULL;
	if (r->duplex && srv) {
		h2srv_duplex_closed(srv, r);
	}
	OBJ_RELEASE(res);
}

void h2srv_response_produce(h2srv_server_t *srv, h2srv_stream_t *s)
{
	h2srv_response_t *r;
	bool more = true;

	if (!s->side_data) {
		return;
	}
	r = from_obj(s->side_data);
	if (!r->ops->open(s)) {
		return;
	}
	if (r->duplex || r->writing) {
		h2srv_duplex_produce(srv, r); /* onDrain, of the response or its WebSocket */
		return;
	}
	if (Z_ISUNDEF(r->producer) || r->paused) {
		return;
	}
	GC_ADDREF(&r->std); /* the producer may drop what else holds the response */
	while (more && r->ops->open(s) && !srv->exiting) {
		zval ret;

		ZVAL_UNDEF(&ret);
		if (!h2srv_server_call_user(srv, &r->producer_fcc, &ret, 0, NULL, "stream() producer")) {
			zval_ptr_dtor(&ret);
			r->ops->reset(s);
			break;
		}
		if (Z_TYPE(ret) == IS_STRING && Z_STRLEN(ret)) {
			more = h2srv_response_put(r, Z_STRVAL(ret), Z_STRLEN(ret), false);
		} else if (Z_TYPE(ret) == IS_NULL || Z_TYPE(ret) == IS_STRING) {
			h2srv_response_put(r, "", 0, true);
			more = false;
			zval_ptr_dtor(&r->producer);
			ZVAL_UNDEF(&r->producer);
		} else if (Z_TYPE(ret) == IS_FALSE) {
			r->paused = true;
			more = false;
		} else {
			h2srv_log(H2SRV_LOG_ERROR, "stream() producer returned %s, not a string, null or false; stream reset",
				zend_zval_type_name(&ret));
			r->ops->reset(s);
			more = false;
		}
		zval_ptr_dtor(&ret);
	}
	OBJ_RELEASE(&r->std);
}

PHP_METHOD(H2srv_Response, end)
{
	zend_string *body = ZSTR_EMPTY_ALLOC();
	h2srv_response_t *r = THIS_RES();

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(body)
	ZEND_PARSE_PARAMETERS_END();
	if (r->writing) {
		/* end() after write(): the last bytes, then the trailers set since */
		r->writing = false;
		if (!r->ops->open(r->s)) {
			h2srv_response_release_trailers(r);
			return;
		}
		if (r->ntrailers) {
			r->ops->set_trailers(r->s, r->trailers, r->ntrailers);
			r->trailers = NULL;
			r->ntrailers = r->cap_trailers = 0;
		}
		h2srv_response_put(r, ZSTR_VAL(body), ZSTR_LEN(body), true);
		return;
	}
	if (r->ended) {
		zend_throw_exception(h2srv_ce_exception, "the response was already sent by end(), stream() or sendFile()", 0);
		RETURN_THROWS();
	}
	send_string(r, zend_string_copy(body), true);
}

/* ---- straight into this process's sessions (HTTP/2 or HTTP/1.x) --------------------------- */

static int local_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body)
{
	int rv = h2srv_proto_respond(s, status, nv, nvlen, body);

	if (rv == 0 && s->h2) {
		h2srv_h2_wake(s->h2);
	}
	return rv;
}

static int local_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size)
{
	int rv = h2srv_proto_respond_fed(s, status, nv, nvlen, fd, size);

	if (rv == 0 && s->h2) {
		h2srv_h2_wake(s->h2);
	}
	return rv;
}

static void local_want_more(h2srv_stream_t *s)
{
	h2srv_proto_want_more(s);
	if (s->h2) {
		h2srv_h2_wake(s->h2);
	}
}

static bool local_open(const h2srv_stream_t *s)
{
	return s->h2 != NULL;
}

static void local_want_input(h2srv_stream_t *s)
{
	if (s->h2) {
		h2srv_h2_stream_inbound(s->h2, s);
		h2srv_h2_wake(s->h2);
	}
}

static void local_ws_open(h2srv_stream_t *s, const h2srv_ws_deflate_t *deflate)
{
	h2srv_h2_t *h2 = s->h2;

	if (!h2) {
		return;
	}
	h2srv_ws_open(s, h2->limits->ws_max_message, &h2->stats->ws, h2->now, deflate);
	if (s->flags & H2SRV_STREAM_SENDING) {
		/* Quiet for hours is normal: the write timeout watches only responses in flight. */
		s->flags &= ~H2SRV_STREAM_SENDING;
		h2->nsending--;
	}
	if (s->body.len || (s->flags & H2SRV_STREAM_REQ_DONE)) {
		local_want_input(s); /* frames that came ahead */
	}
}

static void local_ws_close(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len)
{
	if (s->h2 && s->ws) {
		h2srv_ws_close(s, code, reason, len);
	}
}

static bool local_ws_send(h2srv_stream_t *s, bool binary, const char *p, size_t n)
{
	return s->h2 && s->ws && h2srv_ws_send(s, binary, p, n);
}

const h2srv_answer_t h2srv_answer_local = {
	local_respond, local_respond_fed, h2srv_h2_set_trailers, h2srv_proto_write, local_want_more, h2srv_proto_reset,
	local_open, h2srv_proto_consumed, local_want_input, local_ws_open, local_ws_send, local_ws_close
};

static HashTable *get_gc(zend_object *obj, zval **table, int *n)
{
	h2srv_response_t *r = from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	/* A producer or callback often holds its own response ($res in a closure): let the GC see
	 * the cycle. */
	zend_get_gc_buffer_add_zval(buf, &r->producer);
	if (r->duplex) {
		h2srv_duplex_gc(r, buf);
	}
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

void h2srv_response_minit(zend_class_entry *ce)
{
	h2srv_ce_response = ce;
	h2srv_ce_response->create_object = create;
	memcpy(&handlers, zend_get_std_object_handlers(), sizeof(handlers));
	handlers.offset = XtOffsetOf(h2srv_response_t, std);
	handlers.free_obj = free_obj;
	handlers.get_gc = get_gc;
	handlers.clone_obj = NULL;
}

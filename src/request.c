#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "php_h2srv.h"
#include "request.h"
#include "response.h"
#include "SAPI.h"
#include "php_variables.h"
#include "ext/standard/url.h"
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <time.h>

typedef struct h2srv_request {
	h2srv_stream_t *s;
	zend_string *remote;
	h2srv_tls_facts_t *tls; /* NULL on h2c */
	zend_string *body;  /* made on the first body() call, then shared */
	zend_object std;
} h2srv_request_t;

zend_class_entry *h2srv_ce_request;
static zend_object_handlers handlers;

/* The common methods as interned strings, so method() allocates nothing for them. */
static zend_string *methods[9];
static zend_string *http2, *http11, *http10; /* protocol() */
static const char *const method_names[9] = {
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"
};

static inline h2srv_request_t *from_obj(zend_object *obj)
{
	return (h2srv_request_t *)((char *)obj - XtOffsetOf(h2srv_request_t, std));
}

#define THIS_REQ() from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *create(zend_class_entry *ce)
{
	h2srv_request_t *r = zend_object_alloc(sizeof(h2srv_request_t), ce);

	zend_object_std_init(&r->std, ce);
	r->std.handlers = &handlers;
	r->s = NULL;
	r->remote = NULL;
	r->tls = NULL;
	r->body = NULL;
	return &r->std;
}

static void free_obj(zend_object *obj)
{
	h2srv_request_t *r = from_obj(obj);

	if (r->s) {
		h2srv_stream_unref(r->s);
	}
	if (r->remote) {
		zend_string_release(r->remote);
	}
	h2srv_tls_facts_release(r->tls);
	if (r->body) {
		zend_string_release(r->body);
	}
	zend_object_std_dtor(obj);
}

zend_object *h2srv_request_new(h2srv_stream_t *s, const h2srv_peer_t *peer)
{
	zend_object *obj = create(h2srv_ce_request);
	h2srv_request_t *r = from_obj(obj);

	r->s = s;
	s->refs++;
	r->remote = zend_string_copy(peer->remote);
	if ((r->tls = peer->tls)) {
		r->tls->refs++;
	}
	return obj;
}

static void return_field(zval *return_value, const h2srv_stream_t *s, uint32_t i)
{
	if (i == H2SRV_FIELD_NONE) {
		RETURN_NULL();
	}
	RETURN_STRINGL(h2srv_field_value(s, i), s->fields[i].value_len);
}

PHP_METHOD(H2srv_Request, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(H2srv_Request, method)
{
	const h2srv_stream_t *s = THIS_REQ()->s;
	const char *m;
	size_t len;

	ZEND_PARSE_PARAMETERS_NONE();
	if (s->f_method == H2SRV_FIELD_NONE) {
		RETURN_EMPTY_STRING();
	}
	m = h2srv_field_value(s, s->f_method);
	len = s->fields[s->f_method].value_len;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (ZSTR_LEN(methods[i]) == len && memcmp(ZSTR_VAL(methods[i]), m, len) == 0) {
			RETURN_INTERNED_STR(methods[i]);
		}
	}
	RETURN_STRINGL(m, len);
}

/* The :path, split at its first '?'. */
static void split_path(const h2srv_stream_t *s, const char **path, size_t *plen, const char **query, size_t *qlen)
{
	const char *p, *q;
	size_t len;

	*path = *query = "";
	*plen = *qlen = 0;
	if (s->f_path == H2SRV_FIELD_NONE) {
		return;
	}
	p = h2srv_field_value(s, s->f_path);
	len = s->fields[s->f_path].value_len;
	q = memchr(p, '?', len);
	*path = p;
	*plen = q ? (size_t)(q - p) : len;
	if (q) {
		*query = q + 1;
		*qlen = len - *plen - 1;
	}
}

PHP_METHOD(H2srv_Request, path)
{
	const char *path, *query;
	size_t plen, qlen;

	ZEND_PARSE_PARAMETERS_NONE();
	split_path(THIS_REQ()->s, &path, &plen, &query, &qlen);
	RETURN_STRINGL(path, plen);
}

PHP_METHOD(H2srv_Request, query)
{
	const char *path, *query;
	size_t plen, qlen;

	ZEND_PARSE_PARAMETERS_NONE();
	split_path(THIS_REQ()->s, &path, &plen, &query, &qlen);
	RETURN_STRINGL(query, qlen);
}

/* Where the header block ends and the trailers begin. */
static uint32_t end_of_headers(const h2srv_stream_t *s)
{
	return s->f_trailers == H2SRV_FIELD_NONE ? s->nfields : s->f_trailers;
}

/* Joins every value of the (lower-case) field |name| among fields [from, to); NULL when there
 * is none. RFC 9113 §8.2.3: split cookie crumbs are joined with "; ", other repeats with ", ". */
static zend_string *join_fields(const h2srv_stream_t *s, uint32_t from, uint32_t to, const char *name, size_t nlen)
{
	zend_string *out = NULL;
	const char *sep = nlen == 6 && memcmp(name, "cookie", 6) == 0 ? "; " : ", ";

	for (uint32_t i = from; i < to; i++) {
		const h2srv_field_t *f = &s->fields[i];
		const char *v = h2srv_field_value(s, i);

		if (f->name_len != nlen || memcmp(h2srv_field_name(s, i), name, nlen) != 0) {
			continue;
		}
		if (!out) {
			out = zend_string_init(v, f->value_len, 0);
		} else {
			size_t old = ZSTR_LEN(out);
			out = zend_string_extend(out, old + 2 + f->value_len, 0);
			memcpy(ZSTR_VAL(out) + old, sep, 2);
			memcpy(ZSTR_VAL(out) + old + 2, v, f->value_len);
			ZSTR_VAL(out)[ZSTR_LEN(out)] = '\0';
		}
	}
	return out;
}

static zend_string *join_header(const h2srv_stream_t *s, const char *name, size_t nlen)
{
	return join_fields(s, 0, end_of_headers(s), name, nlen);
}

/* Fills |out| with name => joined value for fields [from, to), pseudo-headers left out. */
static void fields_array(zval *out, const h2srv_stream_t *s, uint32_t from, uint32_t to)
{
	array_init_size(out, to - from);
	for (uint32_t i = from; i < to; i++) {
		const char *name = h2srv_field_name(s, i);
		size_t nlen = s->fields[i].name_len;
		zval v;

		if (name[0] == ':' || zend_hash_str_exists(Z_ARRVAL_P(out), name, nlen)) {
			continue;
		}
		ZVAL_STR(&v, join_fields(s, from, to, name, nlen));
		zend_hash_str_add_new(Z_ARRVAL_P(out), name, nlen, &v);
	}
}

PHP_METHOD(H2srv_Request, header)
{
	zend_string *name, *lower, *v;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(name)
	ZEND_PARSE_PARAMETERS_END();
	if (ZSTR_LEN(name) == 0 || ZSTR_VAL(name)[0] == ':') {
		RETURN_NULL();
	}
	lower = zend_string_tolower(name);
	v = join_header(THIS_REQ()->s, ZSTR_VAL(lower), ZSTR_LEN(lower));
	zend_string_release(lower);
	if (!v) {
		RETURN_NULL();
	}
	RETURN_NEW_STR(v);
}

PHP_METHOD(H2srv_Request, headers)
{
	const h2srv_stream_t *s = THIS_REQ()->s;

	ZEND_PARSE_PARAMETERS_NONE();
	fields_array(return_value, s, 0, end_of_headers(s));
}

PHP_METHOD(H2srv_Request, trailers)
{
	const h2srv_stream_t *s = THIS_REQ()->s;

	ZEND_PARSE_PARAMETERS_NONE();
	fields_array(return_value, s, end_of_headers(s), s->nfields);
}

static zend_string *read_spooled(const h2srv_stream_t *s);

void h2srv_request_trailers(const h2srv_stream_t *s, zval *out)
{
	fields_array(out, s, end_of_headers(s), s->nfields);
}

zend_string *h2srv_request_header(const h2srv_stream_t *s, const char *lower)
{
	return join_header(s, lower, strlen(lower));
}

bool h2srv_request_is_websocket(const h2srv_stream_t *s)
{
	zend_string *version, *key;
	bool ok;

	if (!(s->flags & H2SRV_STREAM_WS)) {
		return false;
	}
	/* RFC 6455 §4.1 (and RFC 8441 §5, which keeps the version and drops the key) */
	version = join_header(s, "sec-websocket-version", 21);
	ok = version && zend_string_equals_literal(version, "13");
	if (version) {
		zend_string_release(version);
	}
	if (ok && (s->flags & H2SRV_STREAM_H1)) {
		key = join_header(s, "sec-websocket-key", 17);
		ok = key && ZSTR_LEN(key) == 24; /* 16 bytes in base64 */
		if (key) {
			zend_string_release(key);
		}
	}
	return ok;
}

PHP_METHOD(H2srv_Request, isWebSocket)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_BOOL(h2srv_request_is_websocket(THIS_REQ()->s));
}

PHP_METHOD(H2srv_Request, onBody)
{
	zend_fcall_info chunk, end = empty_fcall_info;
	zend_fcall_info_cache chunk_fcc, end_fcc = empty_fcall_info_cache;
	h2srv_stream_t *s = THIS_REQ()->s;
	zval args[1], ret;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_FUNC(chunk, chunk_fcc)
		Z_PARAM_OPTIONAL
		Z_PARAM_FUNC_OR_NULL(end, end_fcc)
	ZEND_PARSE_PARAMETERS_END();
	if (s->flags & H2SRV_STREAM_WS) {
		zend_throw_exception(h2srv_ce_exception, "onBody(): a WebSocket handshake has no body; "
			"see Response::acceptWebSocket()", 0);
		RETURN_THROWS();
	}
	if (h2srv_response_on_body(s, &chunk, &chunk_fcc, ZEND_FCI_INITIALIZED(end) ? &end : NULL, &end_fcc) == SUCCESS) {
		return;
	}
	/* Not handed over early (no early_dispatch prefix matched): the body is complete already,
	 * and goes to the callbacks now, in one piece. */
	if (s->body.len || h2srv_stream_spooled(s)) {
		zend_string *body = h2srv_stream_spooled(s) ? read_spooled(s) : zend_string_init(s->body.data, s->body.len, 0);
		if (!body) {
			RETURN_THROWS();
		}
		ZVAL_STR(&args[0], body);
		ZVAL_UNDEF(&ret);
		zend_call_known_function(chunk_fcc.function_handler, chunk_fcc.object, chunk_fcc.called_scope, &ret, 1, args, NULL);
		zval_ptr_dtor(&ret);
		zval_ptr_dtor(&args[0]);
		if (EG(exception)) {
			RETURN_THROWS();
		}
	}
	if (ZEND_FCI_INITIALIZED(end)) {
		h2srv_request_trailers(s, &args[0]);
		ZVAL_UNDEF(&ret);
		zend_call_known_function(end_fcc.function_handler, end_fcc.object, end_fcc.called_scope, &ret, 1, args, NULL);
		zval_ptr_dtor(&ret);
		zval_ptr_dtor(&args[0]);
	}
}

PHP_METHOD(H2srv_Request, queryParams)
{
	const char *path, *query;
	size_t plen, qlen;

	ZEND_PARSE_PARAMETERS_NONE();
	split_path(THIS_REQ()->s, &path, &plen, &query, &qlen);
	array_init(return_value);
	if (qlen) {
		/* What parse_str() does, so that names like a[]=1 decode the same way. */
		sapi_module.treat_data(PARSE_STRING, estrndup(query, qlen), return_value);
	}
}

PHP_METHOD(H2srv_Request, cookies)
{
	zend_string *all = join_header(THIS_REQ()->s, "cookie", 6);
	const char *p, *end;

	ZEND_PARSE_PARAMETERS_NONE();
	array_init(return_value);
	if (!all) {
		return;
	}
	p = ZSTR_VAL(all);
	end = p + ZSTR_LEN(all);
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *eq;
		const char *stop = semi ? semi : end;

		while (p < stop && (*p == ' ' || *p == '\t')) {
			p++;
		}
		eq = memchr(p, '=', (size_t)(stop - p));
		/* Like $_COOKIE: values URL-decoded, the first of a repeated name wins. */
		if (eq && eq > p && !zend_hash_str_exists(Z_ARRVAL_P(return_value), p, (size_t)(eq - p))) {
			zend_string *v = zend_string_init(eq + 1, (size_t)(stop - eq - 1), 0);
			ZSTR_LEN(v) = php_url_decode(ZSTR_VAL(v), ZSTR_LEN(v));
			add_assoc_str_ex(return_value, p, (size_t)(eq - p), v);
		}
		p = stop + 1;
	}
	zend_string_release(all);
}

PHP_METHOD(H2srv_Request, scheme)
{
	const h2srv_stream_t *s = THIS_REQ()->s;

	ZEND_PARSE_PARAMETERS_NONE();
	for (uint32_t i = 0; i < end_of_headers(s); i++) {
		if (s->fields[i].name_len == 7 && memcmp(h2srv_field_name(s, i), ":scheme", 7) == 0) {
			return_field(return_value, s, i);
			return;
		}
	}
	RETURN_STRINGL("https", 5); /* nghttp2 refuses a request without :scheme; not reached */
}

PHP_METHOD(H2srv_Request, protocol)
{
	uint32_t f = THIS_REQ()->s->flags;

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_INTERNED_STR(!(f & H2SRV_STREAM_H1) ? http2 : (f & H2SRV_STREAM_H10) ? http10 : http11);
}

/* A spooled body read back into memory, or NULL with an exception thrown. */
static zend_string *read_spooled(const h2srv_stream_t *s)
{
	php_stream *st = php_stream_open_wrapper(ZSTR_VAL(s->spool_path), "rb", 0, NULL);
	zend_string *out;

	if (!st) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "cannot read the request body from \"%s\": %s",
			ZSTR_VAL(s->spool_path), strerror(errno));
		return NULL;
	}
	out = php_stream_copy_to_mem(st, PHP_STREAM_COPY_ALL, 0);
	php_stream_close(st);
	return out ? out : ZSTR_EMPTY_ALLOC();
}

PHP_METHOD(H2srv_Request, body)
{
	h2srv_request_t *r = THIS_REQ();

	ZEND_PARSE_PARAMETERS_NONE();
	if (!r->body) {
		r->body = h2srv_stream_spooled(r->s) ? read_spooled(r->s)
			: r->s->body.len ? zend_string_init(r->s->body.data, r->s->body.len, 0) : ZSTR_EMPTY_ALLOC();
		if (!r->body) {
			RETURN_THROWS();
		}
	}
	RETURN_STR_COPY(r->body);
}

PHP_METHOD(H2srv_Request, bodyFile)
{
	const h2srv_stream_t *s = THIS_REQ()->s;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!h2srv_stream_spooled(s)) {
		RETURN_NULL();
	}
	RETURN_STR_COPY(s->spool_path);
}

PHP_METHOD(H2srv_Request, bodySize)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG((zend_long)THIS_REQ()->s->body_size);
}

PHP_METHOD(H2srv_Request, authority)
{
	const h2srv_stream_t *s = THIS_REQ()->s;
	zend_string *host;

	ZEND_PARSE_PARAMETERS_NONE();
	if (s->f_authority != H2SRV_FIELD_NONE) {
		return_field(return_value, s, s->f_authority);
		return;
	}
	/* RFC 9113 §8.3.1: a client may send Host instead of :authority. */
	host = join_header(s, "host", 4);
	if (!host) {
		RETURN_NULL();
	}
	RETURN_NEW_STR(host);
}

/* An X509_NAME as an RFC 2253 string. */
static void add_name(zval *arr, const char *key, const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253);
	n = BIO_get_mem_data(b, &p);
	add_assoc_stringl(arr, key, p, (size_t)n);
	BIO_free(b);
}

/* An ASN1_TIME as Unix seconds. */
static zend_long unix_time(const ASN1_TIME *t)
{
	struct tm tm;

	return ASN1_TIME_to_tm(t, &tm) == 1 ? (zend_long)timegm(&tm) : 0;
}

/* What PHP sees of a verified client certificate. */
static void client_cert(zval *out, X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *shex = serial ? BN_bn2hex(serial) : NULL;
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	array_init(out);
	add_name(out, "subject", X509_get_subject_name(x));
	add_name(out, "issuer", X509_get_issuer_name(x));
	add_assoc_string(out, "serial", shex ? shex : "");
	add_assoc_long(out, "not_before", unix_time(X509_get0_notBefore(x)));
	add_assoc_long(out, "not_after", unix_time(X509_get0_notAfter(x)));
	X509_digest(x, EVP_sha256(), md, &mdlen);
	for (unsigned int i = 0; i < mdlen; i++) {
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	}
	add_assoc_stringl(out, "sha256", hex, 2 * mdlen);
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &p);
	add_assoc_stringl(out, "pem", p, (size_t)n);
	BIO_free(b);
	OPENSSL_free(shex);
	BN_free(serial);
}

PHP_METHOD(H2srv_Request, tls)
{
	h2srv_tls_facts_t *f = THIS_REQ()->tls;
	zval cert;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!f) {
		RETURN_NULL();
	}
	array_init(return_value);
	add_assoc_string(return_value, "protocol", f->protocol);
	add_assoc_string(return_value, "cipher", f->cipher);
	add_assoc_string(return_value, "alpn", THIS_REQ()->s->flags & H2SRV_STREAM_H1 ? "http/1.1" : "h2");
	if (f->has_sni) {
		add_assoc_string(return_value, "sni", f->sni);
	} else {
		add_assoc_null(return_value, "sni");
	}
	add_assoc_bool(return_value, "resumed", f->resumed);
	if (f->client_cert) {
		client_cert(&cert, f->client_cert);
		add_assoc_zval(return_value, "client_cert", &cert);
	} else {
		add_assoc_null(return_value, "client_cert");
	}
}

PHP_METHOD(H2srv_Request, remoteAddress)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_STR_COPY(THIS_REQ()->remote);
}

void h2srv_request_minit(zend_class_entry *ce)
{
	h2srv_ce_request = ce;
	h2srv_ce_request->create_object = create;
	memcpy(&handlers, zend_get_std_object_handlers(), sizeof(handlers));
	handlers.offset = XtOffsetOf(h2srv_request_t, std);
	handlers.free_obj = free_obj;
	handlers.clone_obj = NULL;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		methods[i] = zend_string_init_interned(method_names[i], strlen(method_names[i]), 1);
	}
	http2 = zend_string_init_interned("HTTP/2", 6, 1);
	http11 = zend_string_init_interned("HTTP/1.1", 8, 1);
	http10 = zend_string_init_interned("HTTP/1.0", 8, 1);
}

#include "php.h"
#include "zend_exceptions.h"
#include "php_h2srv.h"
#include "certs.h"
#include "shm.h"
#include "tls/tls.h"
#include <time.h>

#define H2SRV_MAX_PAIRS 2 /* per name: an RSA and an ECDSA chain */
#define H2SRV_TICKET_ROTATION 43200 /* seconds a rotated ticket key issues tickets (and resumes them for as long again) */

void h2srv_certs_init(h2srv_certs_t *c)
{
	ZVAL_UNDEF(&c->cert);
	ZVAL_UNDEF(&c->key);
	ZVAL_UNDEF(&c->ocsp);
	ZVAL_UNDEF(&c->certificates);
	ZVAL_UNDEF(&c->client_ca);
	ZVAL_UNDEF(&c->ticket_keys);
	c->sni_strict = false;
	c->verify = H2SRV_TLS_VERIFY_NONE;
	c->ticket_rotation = H2SRV_TICKET_ROTATION;
	c->tickets = NULL;
}

void h2srv_certs_free(h2srv_certs_t *c)
{
	zval_ptr_dtor(&c->cert);
	zval_ptr_dtor(&c->key);
	zval_ptr_dtor(&c->ocsp);
	zval_ptr_dtor(&c->certificates);
	zval_ptr_dtor(&c->client_ca);
	zval_ptr_dtor(&c->ticket_keys);
	/* Only this process's mapping goes: the keys are shared, and a worker that ends must not
	 * wipe them for the others (the kernel zeroes the pages once the last process has gone). */
	h2srv_shm_unmap(c->tickets, sizeof(*c->tickets));
	h2srv_certs_init(c);
}

/* How many files |v| names: a path, or a list of 1..2 paths; 0 (an exception thrown) if
 * neither. |what| names the option in the message. */
static uint32_t files(zval *v, const char *what)
{
	zval *e;
	uint32_t n = 0;

	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v)) {
		return 1;
	}
	if (Z_TYPE_P(v) == IS_ARRAY && zend_array_is_list(Z_ARRVAL_P(v))
		&& zend_hash_num_elements(Z_ARRVAL_P(v)) >= 1 && zend_hash_num_elements(Z_ARRVAL_P(v)) <= H2SRV_MAX_PAIRS) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
			ZVAL_DEREF(e);
			if (Z_TYPE_P(e) != IS_STRING || !Z_STRLEN_P(e)) {
				n = 0;
				break;
			}
			n++;
		} ZEND_HASH_FOREACH_END();
		if (n) {
			return n;
		}
	}
	zend_throw_exception_ex(h2srv_ce_exception, 0, "%s must be a file path or a list of one or two (an RSA and an "
		"ECDSA chain), got %s", what, zend_zval_type_name(v));
	return 0;
}

/* An entry's field, through a reference; NULL when absent. */
static zval *field(zval *entry, const char *name)
{
	zval *v = zend_hash_str_find(Z_ARRVAL_P(entry), name, strlen(name));

	if (v) {
		ZVAL_DEREF(v);
	}
	return v;
}

/* One certificates entry: hosts, cert and key, as many keys as certs. */
static bool valid_entry(zval *e, zend_ulong i)
{
	char what[64];
	zval *hosts, *cert, *key, *ocsp, *h;
	uint32_t ncert, nkey;

	ZVAL_DEREF(e);
	if (Z_TYPE_P(e) != IS_ARRAY) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\"[" ZEND_ULONG_FMT "] must be an array "
			"with hosts, cert and key, got %s", i, zend_zval_type_name(e));
		return false;
	}
	hosts = field(e, "hosts");
	if (!hosts || Z_TYPE_P(hosts) != IS_ARRAY || !zend_array_is_list(Z_ARRVAL_P(hosts))
		|| zend_hash_num_elements(Z_ARRVAL_P(hosts)) == 0) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\"[" ZEND_ULONG_FMT "][\"hosts\"] must be "
			"a non-empty list of names", i);
		return false;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(hosts), h) {
		ZVAL_DEREF(h);
		if (Z_TYPE_P(h) != IS_STRING || !Z_STRLEN_P(h) || Z_STRLEN_P(h) > 253 || strchr(Z_STRVAL_P(h), '/')
			|| (Z_STRVAL_P(h)[0] == '*' && (Z_STRVAL_P(h)[1] != '.' || strchr(Z_STRVAL_P(h) + 2, '*')))
			|| (Z_STRVAL_P(h)[0] != '*' && strchr(Z_STRVAL_P(h), '*'))) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\"[" ZEND_ULONG_FMT "][\"hosts\"] "
				"holds \"%s\", which is neither a name nor a one-label wildcard (\"*.example.org\")", i,
				Z_TYPE_P(h) == IS_STRING ? Z_STRVAL_P(h) : zend_zval_type_name(h));
			return false;
		}
	} ZEND_HASH_FOREACH_END();
	cert = field(e, "cert");
	key = field(e, "key");
	if (!cert || !key) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\"[" ZEND_ULONG_FMT "] needs \"%s\"", i,
			!cert ? "cert" : "key");
		return false;
	}
	snprintf(what, sizeof(what), "option \"certificates\"[" ZEND_ULONG_FMT "][\"cert\"]", i);
	if (!(ncert = files(cert, what))) {
		return false;
	}
	snprintf(what, sizeof(what), "option \"certificates\"[" ZEND_ULONG_FMT "][\"key\"]", i);
	if (!(nkey = files(key, what))) {
		return false;
	}
	if (ncert != nkey) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\"[" ZEND_ULONG_FMT "] lists %u cert "
			"file(s) and %u key file(s): give one key per cert, in the same order", i, ncert, nkey);
		return false;
	}
	if ((ocsp = field(e, "ocsp"))) {
		snprintf(what, sizeof(what), "option \"certificates\"[" ZEND_ULONG_FMT "][\"ocsp\"]", i);
		if (files(ocsp, what) != ncert) {
			if (!EG(exception)) {
				zend_throw_exception_ex(h2srv_ce_exception, 0, "%s must name one OCSP response per cert file", what);
			}
			return false;
		}
	}
	return true;
}

int h2srv_certs_option(h2srv_certs_t *c, zend_string *name, zval *v)
{
	zval *e;
	zend_ulong i;

	if (zend_string_equals_literal(name, "cert") || zend_string_equals_literal(name, "key")
		|| zend_string_equals_literal(name, "ocsp")) {
		char what[16];
		snprintf(what, sizeof(what), "option \"%s\"", ZSTR_VAL(name));
		if (!files(v, what)) {
			return -1;
		}
		ZVAL_COPY(ZSTR_VAL(name)[0] == 'c' ? &c->cert : ZSTR_VAL(name)[0] == 'k' ? &c->key : &c->ocsp, v);
		return 1;
	}
	if (zend_string_equals_literal(name, "certificates")) {
		if (Z_TYPE_P(v) != IS_ARRAY || !zend_array_is_list(Z_ARRVAL_P(v))) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"certificates\" must be a list, got %s",
				zend_zval_type_name(v));
			return -1;
		}
		ZEND_HASH_FOREACH_NUM_KEY_VAL(Z_ARRVAL_P(v), i, e) {
			if (!valid_entry(e, i)) {
				return -1;
			}
		} ZEND_HASH_FOREACH_END();
		ZVAL_COPY(&c->certificates, v);
		return 1;
	}
	if (zend_string_equals_literal(name, "client_ca")) {
		if (Z_TYPE_P(v) != IS_STRING || !Z_STRLEN_P(v)) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"client_ca\" must be a PEM file or a directory, "
				"got %s", zend_zval_type_name(v));
			return -1;
		}
		ZVAL_COPY(&c->client_ca, v);
		return 1;
	}
	if (zend_string_equals_literal(name, "client_verify")) {
		static const char *const modes[] = {"none", "optional", "require"};
		for (int i = 0; Z_TYPE_P(v) == IS_STRING && i < 3; i++) {
			if (zend_string_equals_cstr(Z_STR_P(v), modes[i], strlen(modes[i]))) {
				c->verify = (h2srv_tls_verify_t)i;
				return 1;
			}
		}
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"client_verify\" must be \"none\", \"optional\" or "
			"\"require\", got %s%s%s", Z_TYPE_P(v) == IS_STRING ? "\"" : "",
			Z_TYPE_P(v) == IS_STRING ? Z_STRVAL_P(v) : zend_zval_type_name(v), Z_TYPE_P(v) == IS_STRING ? "\"" : "");
		return -1;
	}
	if (zend_string_equals_literal(name, "ticket_keys")) {
		if (Z_TYPE_P(v) != IS_STRING || !Z_STRLEN_P(v)) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"ticket_keys\" must be a file path, got %s",
				zend_zval_type_name(v));
			return -1;
		}
		ZVAL_COPY(&c->ticket_keys, v);
		return 1;
	}
	if (zend_string_equals_literal(name, "ticket_rotation")) {
		if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 1) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"ticket_rotation\" must be a number of seconds "
				"of at least 1, got %s", zend_zval_type_name(v));
			return -1;
		}
		c->ticket_rotation = (uint64_t)Z_LVAL_P(v);
		return 1;
	}
	if (zend_string_equals_literal(name, "sni_strict")) {
		if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"sni_strict\" must be a bool, got %s",
				zend_zval_type_name(v));
			return -1;
		}
		c->sni_strict = Z_TYPE_P(v) == IS_TRUE;
		return 1;
	}
	return 0;
}

static uint32_t count(zval *v);

zend_result h2srv_certs_check(const h2srv_certs_t *c)
{
	uint32_t ncert, nkey;

	if (c->verify != H2SRV_TLS_VERIFY_NONE && Z_ISUNDEF(c->client_ca)) {
		zend_throw_exception(h2srv_ce_exception, "option \"client_verify\" needs \"client_ca\": the CAs that sign "
			"client certificates", 0);
		return FAILURE;
	}
	if (!h2srv_certs_given(c)) {
		return SUCCESS;
	}
	ncert = count((zval *)&c->cert);
	nkey = count((zval *)&c->key);
	if (ncert != nkey) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "options \"cert\" and \"key\" list %u and %u file(s): give "
			"one key per cert, in the same order", ncert, nkey);
		return FAILURE;
	}
	if (!Z_ISUNDEF(c->ocsp) && count((zval *)&c->ocsp) != ncert) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"ocsp\" must name one OCSP response per cert file "
			"(%u), in the same order", ncert);
		return FAILURE;
	}
	return SUCCESS;
}

bool h2srv_certs_given(const h2srv_certs_t *c)
{
	return !Z_ISUNDEF(c->cert) && !Z_ISUNDEF(c->key);
}

/* The i-th file of a path-or-list option (validated already). */
static const char *file_at(zval *v, uint32_t i)
{
	zval *e;

	ZVAL_DEREF(v);
	if (Z_TYPE_P(v) == IS_STRING) {
		return Z_STRVAL_P(v);
	}
	e = zend_hash_index_find(Z_ARRVAL_P(v), i);
	ZVAL_DEREF(e);
	return Z_STRVAL_P(e);
}

static uint32_t count(zval *v)
{
	ZVAL_DEREF(v);
	return Z_TYPE_P(v) == IS_STRING ? 1 : zend_hash_num_elements(Z_ARRVAL_P(v));
}

/* Fills |out| (room for H2SRV_MAX_PAIRS) from a cert, a key and an ocsp option (NULL or UNDEF:
 * none); returns the count. */
static uint32_t pairs_of(zval *cert, zval *key, zval *ocsp, h2srv_tls_pair_t *out)
{
	uint32_t n = count(cert);
	bool staples = ocsp && !Z_ISUNDEF_P(ocsp);

	for (uint32_t i = 0; i < n; i++) {
		out[i] = (h2srv_tls_pair_t){file_at(cert, i), file_at(key, i), staples ? file_at(ocsp, i) : NULL};
	}
	return n;
}

void h2srv_certs_rotate_tickets(h2srv_certs_t *c)
{
	if (c->tickets && Z_ISUNDEF(c->ticket_keys)) {
		h2srv_tickets_rotate(c->tickets, (uint64_t)time(NULL) / c->ticket_rotation);
	}
}

/* The shared ticket keys, mapped once (before any fork) and filled from the file, or rotated. */
static int tickets(h2srv_certs_t *c, char *why, size_t whylen)
{
	if (!c->tickets && !(c->tickets = h2srv_shm_map(sizeof(*c->tickets)))) {
		snprintf(why, whylen, "no shared memory for the session ticket keys");
		return -1;
	}
	if (!Z_ISUNDEF(c->ticket_keys)) {
		return h2srv_tickets_load(c->tickets, Z_STRVAL(c->ticket_keys), why, whylen);
	}
	h2srv_certs_rotate_tickets(c);
	return 0;
}

SSL_CTX *h2srv_certs_context(h2srv_certs_t *c, char *why, size_t whylen)
{
	h2srv_tls_pair_t dflt[H2SRV_MAX_PAIRS], *pairs = NULL;
	h2srv_tls_site_t *sites = NULL;
	const char **hosts = NULL;
	h2srv_tls_spec_t spec = {dflt, pairs_of(&c->cert, &c->key, &c->ocsp, dflt), NULL, 0, c->sni_strict,
		c->verify, Z_ISUNDEF(c->client_ca) ? NULL : Z_STRVAL(c->client_ca)};
	uint32_t nsites = Z_ISUNDEF(c->certificates) ? 0 : zend_hash_num_elements(Z_ARRVAL(c->certificates));
	uint32_t nhosts = 0, h = 0;
	SSL_CTX *ctx;
	zval *e, *x;

	if (tickets(c, why, whylen) != 0) {
		return NULL;
	}
	spec.tickets = c->tickets;
	if (nsites) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL(c->certificates), e) {
			ZVAL_DEREF(e);
			nhosts += zend_hash_num_elements(Z_ARRVAL_P(field(e, "hosts")));
		} ZEND_HASH_FOREACH_END();
		sites = ecalloc(nsites, sizeof(*sites));
		pairs = ecalloc(nsites * H2SRV_MAX_PAIRS, sizeof(*pairs));
		hosts = ecalloc(nhosts, sizeof(*hosts));
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL(c->certificates), e) {
			h2srv_tls_site_t *s = &sites[spec.nsites];

			ZVAL_DEREF(e);
			s->hosts = hosts + h;
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(field(e, "hosts")), x) {
				ZVAL_DEREF(x);
				hosts[h++] = Z_STRVAL_P(x);
				s->nhosts++;
			} ZEND_HASH_FOREACH_END();
			s->pairs = pairs + spec.nsites * H2SRV_MAX_PAIRS;
			s->npairs = pairs_of(field(e, "cert"), field(e, "key"), field(e, "ocsp"), pairs + spec.nsites * H2SRV_MAX_PAIRS);
			spec.nsites++;
		} ZEND_HASH_FOREACH_END();
		spec.sites = sites;
	}
	ctx = h2srv_tls_ctx_new(&spec, why, whylen);
	if (sites) {
		efree(sites);
		efree(pairs);
		efree(hosts);
	}
	return ctx;
}

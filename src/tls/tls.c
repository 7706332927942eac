#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "php.h"
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include "tls/tls.h"
#ifdef H2SRV_SEAL
#include <sys/mman.h>
#endif

/* RFC 9113 §9.2.2: TLS 1.2 suites must be ephemeral and AEAD. */
#define H2SRV_TLS12_CIPHERS "ECDHE+AES128+AESGCM:ECDHE+AESGCM:ECDHE+CHACHA20"
/* AES-128-GCM first: 128-bit security like the X25519 key exchange, fewer AES rounds, and
 * SHA-256 (which CPUs accelerate) in the TLS 1.3 key schedule instead of SHA-384. */
#define H2SRV_TLS13_SUITES "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

/* OpenSSL's private BIO controls of its kernel-TLS interface (internal/bio.h). */
#define H2SRV_BIO_SET_KTLS 72
#define H2SRV_BIO_SET_KTLS_TX_CTRL_MSG 74
#define H2SRV_BIO_CLEAR_KTLS_TX_CTRL_MSG 75
#define H2SRV_TLS_APPLICATION_DATA 23 /* record content type */

/* Bytes of the placeholder a sealing SSL_write_ex points at: the largest byte_cap. */
#define H2SRV_SEAL_WINDOW (16 * 1024 * 1024)

static int sni_index = -1;           /* the SNI table's ex_data slot on a default context */
static int staple_index = -1;        /* a context's OCSP staples (see staples_t) */
static void free_sni_table(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp);
static void free_staples(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp);
static BIO_METHOD *out_method;
static BIO_METHOD *in_method;
#ifdef H2SRV_SEAL
/* What h2srv_tls_write_slices() hands SSL_write_ex: with the key handed over, OpenSSL passes
 * the buffer it is given to the write BIO without reading it, and the BIO reads the pass's
 * slices instead. Readable zero pages that are never touched, so they cost no memory. */
static const char *seal_window;
#endif
/* Why h2srv does not seal TLS 1.3 records in this process; NULL when it does. */
static const char *seal_why = "this build has no kernel-TLS interface to take the key through";

/* The read side: ciphertext comes from the slice the connection lent, with no copy in between. */
static int in_read(BIO *b, char *out, int outl)
{
	h2srv_tls_t *t = BIO_get_data(b);
	size_t n = MIN((size_t)outl, t->in_len);

	BIO_clear_retry_flags(b);
	if (n == 0) {
		BIO_set_retry_read(b); /* "try again", not end of file */
		return -1;
	}
	memcpy(out, t->in, n);
	t->in += n;
	t->in_len -= n;
	return (int)n;
}

static long in_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)num; (void)ptr;
	switch (cmd) {
	case BIO_CTRL_PENDING:
		return (long)((h2srv_tls_t *)BIO_get_data(b))->in_len;
	case BIO_CTRL_FLUSH:
		return 1;
	default:
		return 0;
	}
}

/* The write side: ciphertext is appended to the connection's output buffer; once h2srv seals
 * the records, each write is one record's plaintext, sealed into that buffer. */
static int out_write(BIO *b, const char *data, int len)
{
	h2srv_tls_t *t = BIO_get_data(b);

	t->key_records++; /* each write is one record, sealed by OpenSSL or, below, by h2srv */
	if (!h2srv_seal_on(&t->seal)) {
		h2srv_buf_append(t->out, data, (size_t)len);
		return len;
	}
	/* Application data inside h2srv_tls_write_slices() is read from the slices. */
	if (t->src && t->seal.type == H2SRV_TLS_APPLICATION_DATA) {
		return h2srv_seal_record(&t->seal, t->out, NULL, t->src, (size_t)len) == 0 ? len : -1;
	}
	return h2srv_seal_record(&t->seal, t->out, (const unsigned char *)data, NULL, (size_t)len) == 0 ? len : -1;
}

static long out_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	h2srv_tls_t *t = BIO_get_data(b);

	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_GET_KTLS_SEND:
		return h2srv_seal_on(&t->seal);
	case H2SRV_BIO_SET_KTLS:
		return t->seal_cap ? h2srv_seal_take_key(&t->seal, num, ptr) : 0;
	case H2SRV_BIO_SET_KTLS_TX_CTRL_MSG:
		t->seal.type = (uint8_t)num;
		return 1;
	case H2SRV_BIO_CLEAR_KTLS_TX_CTRL_MSG:
		t->seal.type = H2SRV_TLS_APPLICATION_DATA;
		return 1;
	default:
		return 0;
	}
}


static int out_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

int h2srv_tls_startup(void)
{
	out_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "h2srv output");
	in_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "h2srv input");
	if (!out_method || !in_method) {
		return -1;
	}
	BIO_meth_set_write(out_method, out_write);
	BIO_meth_set_ctrl(out_method, out_ctrl);
	BIO_meth_set_create(out_method, out_create);
	BIO_meth_set_read(in_method, in_read);
	BIO_meth_set_ctrl(in_method, in_ctrl);
	BIO_meth_set_create(in_method, out_create);
	if (sni_index < 0) {
		sni_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, free_sni_table);
		staple_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, free_staples);
	}
#ifdef H2SRV_SEAL
	/* The hand-over is OpenSSL 3.0's and 3.1's; later versions changed their record layer. */
	if (OpenSSL_version_num() < 0x30000000L || OpenSSL_version_num() >= 0x30200000L) {
		seal_why = "the key hand-over is OpenSSL 3.0's and 3.1's only";
	} else if (h2srv_seal_startup(&seal_why) == 0) {
		void *w = mmap(NULL, H2SRV_SEAL_WINDOW, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		seal_window = w == MAP_FAILED ? NULL : w;
		seal_why = seal_window ? NULL : "no address space for the placeholder window";
	}
#endif
	return 0;
}

bool h2srv_tls_can_seal(const char **why)
{
	*why = seal_why;
	return seal_why == NULL;
}

void h2srv_tls_shutdown(void)
{
	if (out_method) {
		BIO_meth_free(out_method);
		out_method = NULL;
	}
	if (in_method) {
		BIO_meth_free(in_method);
		in_method = NULL;
	}
#ifdef H2SRV_SEAL
	if (seal_window) {
		munmap((void *)seal_window, H2SRV_SEAL_WINDOW);
		seal_window = NULL;
	}
	h2srv_seal_shutdown();
#endif
}

/* Whether the connection behind |ssl| may fall back to HTTP/1.1 (its listener's http1). */
static bool takes_http1(SSL *ssl)
{
	const h2srv_tls_t *t = SSL_get_app_data(ssl);

	return t && t->http1;
}

/* h2 when the client offers it, else http/1.1 when the listener takes it; anything else ends
 * the handshake with no_application_protocol. */
static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
	const unsigned char *in, unsigned int inlen, void *arg)
{
	const unsigned char *http1 = NULL;

	(void)arg;
	for (unsigned int i = 0; i < inlen && i + 1u + in[i] <= inlen; i += 1u + in[i]) {
		if (in[i] == 2 && in[i + 1] == 'h' && in[i + 2] == '2') {
			*out = in + i + 1;
			*outlen = 2;
			return SSL_TLSEXT_ERR_OK;
		}
		if (in[i] == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) {
			http1 = in + i + 1;
		}
	}
	if (http1 && takes_http1(ssl)) {
		*out = http1;
		*outlen = 8;
		return SSL_TLSEXT_ERR_OK;
	}
	return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/* The sites of a default context, found by the server name a ClientHello carries. */
typedef struct sni_table {
	uint32_t n;
	bool strict;
	struct {
		char *pattern;               /* lower case; "*.x.y" for a one-label wildcard */
		SSL_CTX *ctx;
	} *e;
} sni_table_t;


/* Frees a default context's table with the context (the last connection using it has gone). */
static void free_sni_table(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	sni_table_t *t = ptr;

	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	if (!t) {
		return;
	}
	for (uint32_t i = 0; i < t->n; i++) {
		free(t->e[i].pattern);
		SSL_CTX_free(t->e[i].ctx);
	}
	free(t->e);
	free(t);
}

/* The host_name of a ClientHello's server_name extension (RFC 6066 §3), copied in lower case
 * into |out|; returns false when there is none or it is malformed. */
static bool client_sni(SSL *ssl, char *out, size_t cap)
{
	const unsigned char *p;
	size_t len, list, n;

	if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) || len < 5) {
		return false;
	}
	list = (size_t)p[0] << 8 | p[1];
	n = (size_t)p[3] << 8 | p[4];
	if (list + 2 != len || p[2] != TLSEXT_NAMETYPE_host_name || n == 0 || n + 5 > len || n >= cap) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		out[i] = (char)tolower(p[5 + i]);
	}
	out[n] = '\0';
	return memchr(out, '\0', n) == NULL;
}

/* Exact, or "*.rest" matching one label (not empty, no dot) followed by ".rest". */
static bool host_matches(const char *pattern, const char *name)
{
	const char *dot;

	if (pattern[0] != '*') {
		return strcmp(pattern, name) == 0;
	}
	dot = strchr(name, '.');
	return dot && dot != name && strcmp(dot, pattern + 1) == 0;
}

/* A client that offers no ALPN at all speaks HTTP/1.1 where the listener takes it; elsewhere
 * it would get TLS without h2, so it is refused the same way. Then the server name picks the
 * site's context, if one matches. */
static int check_client_hello(SSL *ssl, int *alert, void *arg)
{
	const unsigned char *ext;
	size_t len;
	sni_table_t *sites = arg;
	char name[256];

	if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &ext, &len)
		&& !takes_http1(ssl)) {
		*alert = SSL_AD_NO_APPLICATION_PROTOCOL;
		return SSL_CLIENT_HELLO_ERROR;
	}
	/* A second ClientHello (after a HelloRetryRequest) finds the site's context already set,
	 * which carries no table. */
	if (!sites || !client_sni(ssl, name, sizeof(name))) {
		return SSL_CLIENT_HELLO_SUCCESS;
	}
	for (uint32_t i = 0; i < sites->n; i++) {
		if (host_matches(sites->e[i].pattern, name)) {
			SSL_set_SSL_CTX(ssl, sites->e[i].ctx);
			return SSL_CLIENT_HELLO_SUCCESS;
		}
	}
	if (sites->strict) {
		*alert = SSL_AD_UNRECOGNIZED_NAME;
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

static const char *last_error(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown OpenSSL error";
}

static int readable(const char *what, const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(why, whylen, "%s file \"%s\" is not readable: %s", what, path, strerror(errno));
		return 0;
	}
	fclose(f);
	return 1;
}

/* One context serving |n| pairs (an RSA and an ECDSA one at most: each key type replaces its
 * own), with every setting h2srv's TLS has; |sites| goes to the ClientHello callback. */
/* A context's OCSP staples: the DER response for each leaf certificate that has one. */
typedef struct staples {
	uint32_t n;
	struct {
		X509 *leaf;                  /* the context holds it; compared by pointer */
		unsigned char *der;
		long len;
	} e[2];
} staples_t;

static void free_staples(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	staples_t *s = ptr;

	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	if (s) {
		for (uint32_t i = 0; i < s->n; i++) {
			OPENSSL_free(s->e[i].der);
		}
		free(s);
	}
}

/* Reads |path|, which must hold one DER OCSP response; returns its bytes (OPENSSL_malloc'd) and
 * length, or NULL with |why|. */
static unsigned char *read_staple(const char *path, long *len, char *why, size_t whylen)
{
	BIO *b = BIO_new_file(path, "rb");
	OCSP_RESPONSE *r = b ? d2i_OCSP_RESPONSE_bio(b, NULL) : NULL;
	unsigned char *der = NULL;

	BIO_free(b);
	if (!r) {
		snprintf(why, whylen, "ocsp file \"%s\" %s", path, b ? "holds no DER OCSP response" : "is not readable");
		return NULL;
	}
	*len = i2d_OCSP_RESPONSE(r, &der);
	OCSP_RESPONSE_free(r);
	if (*len <= 0) {
		snprintf(why, whylen, "ocsp file \"%s\" holds no DER OCSP response", path);
		return NULL;
	}
	return der;
}

/* A client asked for the certificate's status: staple the response of the leaf OpenSSL chose. */
static int staple(SSL *ssl, void *arg)
{
	staples_t *s = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), staple_index);
	X509 *leaf = SSL_get_certificate(ssl);

	(void)arg;
	for (uint32_t i = 0; s && i < s->n; i++) {
		if (s->e[i].leaf == leaf) {
			unsigned char *copy = OPENSSL_memdup(s->e[i].der, (size_t)s->e[i].len);
			if (copy && SSL_set_tlsext_status_ocsp_resp(ssl, copy, s->e[i].len) == 1) {
				return SSL_TLSEXT_ERR_OK;
			}
			OPENSSL_free(copy);
		}
	}
	return SSL_TLSEXT_ERR_NOACK;
}

/* An optional client certificate that fails verification does not end the handshake: the
 * request then sees no certificate (h2srv_tls_facts keeps only a verified one). */
static int verify_optional(int ok, X509_STORE_CTX *store)
{
	(void)ok; (void)store;
	return 1;
}

/* Asks for client certificates and loads what verifies them; returns 0, or -1 with |why|. */
static int client_verify(SSL_CTX *ctx, const h2srv_tls_spec_t *spec, char *why, size_t whylen)
{
	struct stat st;
	bool dir;

	if (spec->verify == H2SRV_TLS_VERIFY_NONE) {
		return 0;
	}
	if (stat(spec->client_ca, &st) != 0) {
		snprintf(why, whylen, "client_ca \"%s\" is not readable: %s", spec->client_ca, strerror(errno));
		return -1;
	}
	dir = S_ISDIR(st.st_mode);
	if (SSL_CTX_load_verify_locations(ctx, dir ? NULL : spec->client_ca, dir ? spec->client_ca : NULL) != 1) {
		snprintf(why, whylen, "client_ca \"%s\" holds no usable CA certificate: %s", spec->client_ca, last_error());
		return -1;
	}
	if (!dir) {
		STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(spec->client_ca);
		if (names) {
			SSL_CTX_set_client_CA_list(ctx, names); /* the CAs the client is told to pick from */
		}
	}
	SSL_CTX_set_verify(ctx, spec->verify == H2SRV_TLS_VERIFY_REQUIRE
		? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER,
		spec->verify == H2SRV_TLS_VERIFY_OPTIONAL ? verify_optional : NULL);
	/* Sessions that carry a verified client are resumed only by this server's contexts. */
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"h2srv", 5);
	return 0;
}

static SSL_CTX *context(const h2srv_tls_spec_t *spec, const h2srv_tls_pair_t *pairs, uint32_t n, sni_table_t *sites,
	char *why, size_t whylen)
{
	SSL_CTX *ctx;

	for (uint32_t i = 0; i < n; i++) {
		if (!readable("cert", pairs[i].cert, why, whylen) || !readable("key", pairs[i].key, why, whylen)) {
			return NULL;
		}
	}
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		snprintf(why, whylen, "cannot create a TLS context: %s", last_error());
		return NULL;
	}
	ERR_clear_error();
	for (uint32_t i = 0; i < n; i++) {
		const char *cert = pairs[i].cert, *key = pairs[i].key;

		if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
			snprintf(why, whylen, "cert file \"%s\" holds no usable certificate: %s", cert, last_error());
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
			snprintf(why, whylen, "key file \"%s\" holds no usable private key: %s", key, last_error());
			goto fail;
		}
		if (SSL_CTX_check_private_key(ctx) != 1) {
			snprintf(why, whylen, "key file \"%s\" does not match cert file \"%s\"", key, cert);
			goto fail;
		}
		if (pairs[i].ocsp) {
			staples_t *s = SSL_CTX_get_ex_data(ctx, staple_index);
			long len;
			unsigned char *der = read_staple(pairs[i].ocsp, &len, why, whylen);

			if (!der) {
				goto fail;
			}
			if (s && s->n == sizeof(s->e) / sizeof(s->e[0])) {
				OPENSSL_free(der);
				snprintf(why, whylen, "more OCSP staples than certificate chains");
				goto fail;
			}
			if (!s && (!(s = calloc(1, sizeof(*s))) || !SSL_CTX_set_ex_data(ctx, staple_index, s))) {
				free(s);
				OPENSSL_free(der);
				snprintf(why, whylen, "out of memory for OCSP staples");
				goto fail;
			}
			s->e[s->n].leaf = SSL_CTX_get0_certificate(ctx); /* the one just loaded */
			s->e[s->n].der = der;
			s->e[s->n].len = len;
			s->n++;
			SSL_CTX_set_tlsext_status_cb(ctx, staple);
		}
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION
		| SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* The chain sent is the one the cert file holds (as nginx does): OpenSSL would otherwise
	 * build it again for every handshake from its store, which holds the client CAs. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_NO_AUTO_CHAIN);
	/* One ticket per connection is enough to resume it (OpenSSL sends two by default). */
	SSL_CTX_set_num_tickets(ctx, 1);
	SSL_CTX_set_cipher_list(ctx, H2SRV_TLS12_CIPHERS);
	SSL_CTX_set_ciphersuites(ctx, H2SRV_TLS13_SUITES);
	SSL_CTX_set_max_early_data(ctx, 0);
	SSL_CTX_set_alpn_select_cb(ctx, select_alpn, NULL);
	SSL_CTX_set_client_hello_cb(ctx, check_client_hello, sites);
	if (spec->tickets) {
		h2srv_tickets_use(ctx, spec->tickets);
	}
	if (client_verify(ctx, spec, why, whylen) != 0) {
		goto fail;
	}
	ERR_clear_error();
	return ctx;

fail:
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

SSL_CTX *h2srv_tls_ctx_new(const h2srv_tls_spec_t *spec, char *why, size_t whylen)
{
	sni_table_t *sites = NULL;
	SSL_CTX *ctx;
	uint32_t total = 0;

	if (spec->nsites || spec->sni_strict) {
		for (uint32_t i = 0; i < spec->nsites; i++) {
			total += spec->sites[i].nhosts;
		}
		sites = calloc(1, sizeof(*sites));
		if (!sites || (total && !(sites->e = calloc(total, sizeof(*sites->e))))) {
			free(sites);
			snprintf(why, whylen, "out of memory for the certificates' names");
			return NULL;
		}
		sites->strict = spec->sni_strict;
	}
	ctx = context(spec, spec->pairs, spec->npairs, sites, why, whylen);
	if (!ctx) {
		free_sni_table(NULL, sites, NULL, 0, 0, NULL);
		return NULL;
	}
	if (sites) {
		/* The table goes with the default context: freed once no connection uses it. */
		SSL_CTX_set_ex_data(ctx, sni_index, sites);
	}
	for (uint32_t i = 0; i < spec->nsites; i++) {
		const h2srv_tls_site_t *site = &spec->sites[i];
		SSL_CTX *sctx = context(spec, site->pairs, site->npairs, NULL, why, whylen);

		if (!sctx) {
			SSL_CTX_free(ctx);
			return NULL;
		}
		for (uint32_t h = 0; h < site->nhosts; h++) {
			char *pattern = strdup(site->hosts[h]);

			if (!pattern) {
				if (h == 0) {
					SSL_CTX_free(sctx); /* past the first name, the table's entries hold it */
				}
				SSL_CTX_free(ctx);
				snprintf(why, whylen, "out of memory for the certificates' names");
				return NULL;
			}
			for (char *c = pattern; *c; c++) {
				*c = (char)tolower((unsigned char)*c);
			}
			if (h > 0) {
				SSL_CTX_up_ref(sctx); /* each name's entry holds a reference */
			}
			sites->e[sites->n].pattern = pattern;
			sites->e[sites->n].ctx = sctx;
			sites->n++;
		}
		if (site->nhosts == 0) {
			SSL_CTX_free(sctx);
		}
	}
	return ctx;
}

int h2srv_tls_open(h2srv_tls_t *t, SSL_CTX *ctx, h2srv_buf_t *out, size_t seal_cap, uint64_t key_limit, bool http1)
{
	BIO *rbio, *wbio;

	memset(t, 0, sizeof(*t));
	t->ssl = SSL_new(ctx);
	t->out = out;
	t->key_limit = key_limit;
	rbio = BIO_new(in_method);
	wbio = BIO_new(out_method);
	if (!t->ssl || !rbio || !wbio) {
		BIO_free(rbio);
		BIO_free(wbio);
		SSL_free(t->ssl);
		t->ssl = NULL;
		return -1;
	}
	BIO_set_data(rbio, t);
	BIO_set_data(wbio, t);
	SSL_set_bio(t->ssl, rbio, wbio);
	t->http1 = http1;
	SSL_set_app_data(t->ssl, t);
#ifdef H2SRV_SEAL
	if (seal_cap && seal_window && (SSL_get_mode(t->ssl) & SSL_MODE_RELEASE_BUFFERS)) {
		t->seal_cap = MIN(seal_cap, H2SRV_SEAL_WINDOW);
		SSL_set_options(t->ssl, SSL_OP_ENABLE_KTLS);
	}
#else
	(void)seal_cap;
#endif
	SSL_set_accept_state(t->ssl);
	return 0;
}

bool h2srv_tls_alpn_h2(const h2srv_tls_t *t)
{
	const unsigned char *p;
	unsigned int n;

	SSL_get0_alpn_selected(t->ssl, &p, &n);
	return n == 2 && p[0] == 'h' && p[1] == '2';
}

int h2srv_tls_handshake(h2srv_tls_t *t, const char **why)
{
	int r = SSL_do_handshake(t->ssl);
	int e;

	if (r == 1) {
		return H2SRV_TLS_DONE;
	}
	e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		return H2SRV_TLS_AGAIN;
	}
	*why = e == SSL_ERROR_SSL ? last_error() : "connection broken during the handshake";
	ERR_clear_error();
	t->broken = true;
	return H2SRV_TLS_FATAL;
}

/* A KeyUpdate goes out now, before any write: when h2srv seals, it seals this one under the
 * current key and then gives sealing back to OpenSSL, which keeps the next key to itself.
 * While the key was handed over, OpenSSL's write buffer pointed at the bytes each write passed
 * through; with SSL_MODE_RELEASE_BUFFERS (h2srv_tls_open() seals only with it) the complete
 * KeyUpdate write already let go of that pointer, and OpenSSL's next write takes a buffer of
 * its own. Nothing else may be released here: the read that brought a peer's KeyUpdate can have
 * left part of its next record in OpenSSL's read buffer. */
int h2srv_tls_update_key(h2srv_tls_t *t)
{
	if (SSL_version(t->ssl) != TLS1_3_VERSION) {
		return -1;
	}
	if (SSL_key_update(t->ssl, SSL_KEY_UPDATE_NOT_REQUESTED) != 1 || SSL_do_handshake(t->ssl) != 1
		|| (h2srv_seal_on(&t->seal) && !t->seal.retired)) {
		ERR_clear_error();
		return -1;
	}
	h2srv_seal_free(&t->seal);
	t->key_records = 0;
	return 0;
}

ssize_t h2srv_tls_read(h2srv_tls_t *t, char *buf, size_t cap)
{
	size_t n;
	ssize_t r;
	int e;

	if (SSL_read_ex(t->ssl, buf, cap, &n)) {
		r = (ssize_t)n;
	} else if ((e = SSL_get_error(t->ssl, 0)) == SSL_ERROR_WANT_READ) {
		r = H2SRV_TLS_AGAIN;
	} else {
		ERR_clear_error();
		t->broken = e != SSL_ERROR_ZERO_RETURN;
		return t->broken ? H2SRV_TLS_FATAL : H2SRV_TLS_CLOSED;
	}
	/* The peer asked for a KeyUpdate, which OpenSSL would send at the start of our next write:
	 * a sealing session answers it now (see h2srv_tls_update_key). */
	if (UNEXPECTED(h2srv_seal_on(&t->seal)) && SSL_get_key_update_type(t->ssl) != SSL_KEY_UPDATE_NONE
		&& h2srv_tls_update_key(t) != 0) {
		t->broken = true;
		return H2SRV_TLS_FATAL;
	}
	return r;
}

int h2srv_tls_write(void *t, const char *p, size_t n)
{
	size_t w;

	/* The output BIO never refuses, so a write is whole or the session is broken. */
	if (SSL_write_ex(((h2srv_tls_t *)t)->ssl, p, n, &w) && w == n) {
		return 0;
	}
	ERR_clear_error();
	return -1;
}

int h2srv_tls_write_slices(void *tp, const uv_buf_t *bufs, uint32_t n)
{
#ifdef H2SRV_SEAL
	h2srv_tls_t *t = tp;
	h2srv_seal_src_t src = {bufs, n, 0, 0};
	size_t left = 0, w;

	/* Without the key OpenSSL would seal the placeholder it is pointed at, not the slices. */
	if (UNEXPECTED(!h2srv_seal_on(&t->seal))) {
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		left += bufs[i].len;
	}
	t->src = &src;
	while (left) {
		size_t chunk = MIN(left, t->seal_cap);

		if (!SSL_write_ex(t->ssl, seal_window, chunk, &w) || w != chunk) {
			t->src = NULL;
			ERR_clear_error();
			return -1;
		}
		left -= chunk;
	}
	t->src = NULL;
	/* Every byte was read from the slices, or OpenSSL wrote something other than they hold. */
	while (src.i < n && src.off == bufs[src.i].len) {
		src.i++, src.off = 0;
	}
	return src.i == n ? 0 : -1;
#else
	(void)tp; (void)bufs; (void)n;
	return -1;
#endif
}

h2srv_tls_facts_t *h2srv_tls_facts(h2srv_tls_t *t)
{
	const char *sni = SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name);
	size_t len = sni ? strlen(sni) : 0;
	h2srv_tls_facts_t *f = calloc(1, sizeof(*f) + len + 1); /* the name's own length: kept per connection */
	X509 *peer;

	if (!f) {
		return NULL;
	}
	f->refs = 1;
	f->protocol = SSL_get_version(t->ssl);
	f->cipher = SSL_get_cipher_name(t->ssl);
	f->resumed = SSL_session_reused(t->ssl);
	if (sni) {
		memcpy(f->sni, sni, len + 1);
		f->has_sni = true;
	}
	peer = SSL_get1_peer_certificate(t->ssl);
	if (peer && SSL_get_verify_result(t->ssl) == X509_V_OK) {
		f->client_cert = peer;
	} else {
		X509_free(peer);
	}
	return f;
}

void h2srv_tls_facts_release(h2srv_tls_facts_t *f)
{
	if (f && --f->refs == 0) {
		X509_free(f->client_cert);
		free(f->wire);
		free(f);
	}
}

/* Encoded: resumed, has_sni, then the lengths of protocol, cipher, name and certificate (DER),
 * then those bytes. */
typedef struct facts_wire {
	uint8_t resumed;
	uint8_t has_sni;
	uint16_t plen, clen, slen;
	uint32_t derlen;
} facts_wire_t;

static size_t facts_encode(const h2srv_tls_facts_t *f, unsigned char *out, size_t room);

const unsigned char *h2srv_tls_facts_wire(h2srv_tls_facts_t *f, size_t *len)
{
	if (!f->wire) {
		size_t n = facts_encode(f, NULL, 0);
		if (!(f->wire = malloc(n))) {
			*len = 0;
			return NULL;
		}
		f->wire_len = facts_encode(f, f->wire, n);
	}
	*len = f->wire_len;
	return f->wire;
}

static size_t facts_encode(const h2srv_tls_facts_t *f, unsigned char *out, size_t room)
{
	facts_wire_t w = {f->resumed, f->has_sni, (uint16_t)strlen(f->protocol), (uint16_t)strlen(f->cipher),
		(uint16_t)(f->has_sni ? strlen(f->sni) : 0), 0};
	int der = f->client_cert ? i2d_X509(f->client_cert, NULL) : 0;
	size_t need;
	unsigned char *p;

	w.derlen = der > 0 ? (uint32_t)der : 0;
	need = sizeof(w) + w.plen + w.clen + w.slen + w.derlen;
	if (need > room) {
		return need;
	}
	memcpy(out, &w, sizeof(w));
	p = out + sizeof(w);
	memcpy(p, f->protocol, w.plen);
	p += w.plen;
	memcpy(p, f->cipher, w.clen);
	p += w.clen;
	memcpy(p, f->sni, w.slen);
	p += w.slen;
	if (w.derlen) {
		i2d_X509(f->client_cert, &p);
	}
	return need;
}

h2srv_tls_facts_t *h2srv_tls_facts_decode(const unsigned char *p, size_t len)
{
	facts_wire_t w;
	h2srv_tls_facts_t *f;
	char *names;
	const unsigned char *der;

	if (len < sizeof(w)) {
		return NULL;
	}
	memcpy(&w, p, sizeof(w));
	if (sizeof(w) + w.plen + w.clen + w.slen + w.derlen > len) {
		return NULL;
	}
	/* The name first (the flexible member), then protocol and cipher, each NUL-terminated. */
	f = calloc(1, sizeof(*f) + w.slen + 1 + w.plen + 1 + w.clen + 1);
	if (!f) {
		return NULL;
	}
	f->refs = 1;
	f->resumed = w.resumed;
	f->has_sni = w.has_sni;
	p += sizeof(w);
	names = f->sni + w.slen + 1;
	memcpy(names, p, w.plen);
	f->protocol = names;
	names += w.plen + 1;
	memcpy(names, p + w.plen, w.clen);
	f->cipher = names;
	memcpy(f->sni, p + w.plen + w.clen, w.slen);
	der = p + w.plen + w.clen + w.slen;
	if (w.derlen) {
		f->client_cert = d2i_X509(NULL, &der, w.derlen);
	}
	return f;
}

void h2srv_tls_set_output(h2srv_tls_t *t, h2srv_buf_t *out)
{
	t->out = out;
}

void h2srv_tls_close_notify(h2srv_tls_t *t)
{
	if (t->ssl && !t->broken && SSL_is_init_finished(t->ssl)) {
		SSL_shutdown(t->ssl); /* ours goes out; the peer's is not waited for */
		ERR_clear_error();
	}
}

void h2srv_tls_close(h2srv_tls_t *t)
{
	if (t->ssl) {
		SSL_free(t->ssl);
		t->ssl = NULL;
		t->in_len = 0;
	}
	h2srv_seal_free(&t->seal);
}

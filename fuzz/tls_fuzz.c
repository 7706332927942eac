/*
 * libFuzzer target for the TLS side: arbitrary bytes from the network go into the memory-BIO
 * bridge (feed, handshake, read) as the connection would push them, in chunks of varying
 * size; once a handshake completes, decrypted bytes are read and a reply is written back.
 * The server context is the real one (ALPN h2 only, TLS 1.2+), built from a throwaway
 * ECDSA certificate made once.
 */
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sapi/embed/php_embed.h>
#include "tls/tls.h"

static SSL_CTX *make_ctx(void)
{
	char cert[] = "/tmp/h2srv-fuzz-cert.pem", key[] = "/tmp/h2srv-fuzz-key.pem", why[256];
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	FILE *f;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, pk);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, (const unsigned char *)"fuzz", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_sign(x, pk, EVP_sha256());
	f = fopen(cert, "w");
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen(key, "w");
	PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(pk);
	return h2srv_tls_ctx_new(cert, key, why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static SSL_CTX *ctx;
	static char plain[16384];
	h2srv_tls_t t;
	h2srv_buf_t out = {0};
	const char *why;
	bool open = false;
	size_t chunk;

	if (!ctx) {
		php_embed_module.php_ini_ignore = 1; /* no php.ini: no opcache, no other extensions */
		php_embed_init(0, NULL);
		h2srv_tls_startup();
		ctx = make_ctx();
		if (!ctx) {
			abort();
		}
	}
	if (size < 1) {
		return 0;
	}
	chunk = (size_t)(data[0] & 0x7f) * 13 + 1;
	data++, size--;
	if (h2srv_tls_open(&t, ctx, &out) != 0) {
		return 0;
	}
	while (size) {
		size_t n = size < chunk ? size : chunk;
		h2srv_tls_feed(&t, (const char *)data, n);
		data += n, size -= n;
		if (!open) {
			int r = h2srv_tls_handshake(&t, &why);
			if (r == H2SRV_TLS_FATAL) {
				break;
			}
			open = r == H2SRV_TLS_DONE;
			if (!open) {
				continue;
			}
		}
		for (;;) {
			ssize_t r = h2srv_tls_read(&t, plain, sizeof(plain));
			if (r <= 0) {
				break;
			}
			h2srv_tls_write(&t, plain, (size_t)r);
		}
		out.len = 0; /* the socket took it */
	}
	h2srv_tls_close(&t);
	h2srv_buf_free(&out);
	return 0;
}

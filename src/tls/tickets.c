#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "tls/tickets.h"

static h2srv_ticket_keys_t *table; /* one server's per process */

static void begin_write(h2srv_ticket_keys_t *keys)
{
	__atomic_add_fetch(&keys->seq, 1, __ATOMIC_ACQ_REL);
}

static void end_write(h2srv_ticket_keys_t *keys)
{
	__atomic_add_fetch(&keys->seq, 1, __ATOMIC_ACQ_REL);
}

/* A consistent copy of the table: retried while a writer is in the middle of it. */
static void snapshot(const h2srv_ticket_keys_t *keys, h2srv_ticket_keys_t *out)
{
	uint32_t s;

	do {
		while ((s = __atomic_load_n(&keys->seq, __ATOMIC_ACQUIRE)) & 1) {
		}
		memcpy(out, keys, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&keys->seq, __ATOMIC_ACQUIRE) != s);
}

/* Fetched once: EVP_aes_256_cbc() would have each ticket look the cipher up by name again. */
static EVP_CIPHER *aes;

static int set_keys(const h2srv_ticket_key_t *k, unsigned char *iv, EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)k->hmac, sizeof(k->hmac)),
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_construct_end(),
	};

	if (!EVP_MAC_CTX_set_params(hctx, params)) {
		return -1;
	}
	return (enc ? EVP_EncryptInit_ex(cctx, aes, NULL, k->aes, iv)
		: EVP_DecryptInit_ex(cctx, aes, NULL, k->aes, iv)) ? 0 : -1;
}

/* OpenSSL's ticket key callback: 1 issued, 2 resumed (and a fresh ticket goes out, as without
 * the callback: a TLS 1.3 client uses each ticket once), 0 do not resume (a key we no longer
 * have), -1 error. */
static int ticket_key(SSL *ssl, unsigned char name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx,
	int enc)
{
	h2srv_ticket_keys_t keys;

	(void)ssl;
	snapshot(table, &keys);
	if (enc) {
		if (keys.n == 0 || RAND_bytes(iv, EVP_MAX_IV_LENGTH) != 1) {
			return -1;
		}
		memcpy(name, keys.k[0].name, 16);
		return set_keys(&keys.k[0], iv, cctx, hctx, 1) == 0 ? 1 : -1;
	}
	for (uint32_t i = 0; i < keys.n; i++) {
		if (memcmp(name, keys.k[i].name, 16) == 0) {
			return set_keys(&keys.k[i], iv, cctx, hctx, 0) == 0 ? 2 : -1;
		}
	}
	return 0;
}

void h2srv_tickets_use(SSL_CTX *ctx, h2srv_ticket_keys_t *keys)
{
	table = keys;
	if (!aes && !(aes = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL))) {
		return; /* no tickets: OpenSSL's own keys then (per process, so no resumption across them) */
	}
	SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key);
}

int h2srv_tickets_load(h2srv_ticket_keys_t *keys, const char *path, char *why, size_t whylen)
{
	unsigned char buf[H2SRV_TICKET_KEY_FILE_BYTES * H2SRV_TICKET_KEYS_MAX + 1];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		snprintf(why, whylen, "ticket_keys file \"%s\" is not readable: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n == 0 || n % H2SRV_TICKET_KEY_FILE_BYTES || n > H2SRV_TICKET_KEY_FILE_BYTES * H2SRV_TICKET_KEYS_MAX) {
		snprintf(why, whylen, "ticket_keys file \"%s\" must hold 1 to %d keys of %d bytes each (as nginx's "
			"ssl_session_ticket_key), not %zu bytes", path, H2SRV_TICKET_KEYS_MAX, H2SRV_TICKET_KEY_FILE_BYTES, n);
		return -1;
	}
	begin_write(keys);
	keys->n = (uint32_t)(n / H2SRV_TICKET_KEY_FILE_BYTES);
	keys->period = 0;
	for (uint32_t i = 0; i < keys->n; i++) {
		const unsigned char *p = buf + i * H2SRV_TICKET_KEY_FILE_BYTES;
		memcpy(keys->k[i].name, p, 16);
		memcpy(keys->k[i].hmac, p + 16, 32);
		memcpy(keys->k[i].aes, p + 48, 32);
	}
	end_write(keys);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

bool h2srv_tickets_rotate(h2srv_ticket_keys_t *keys, uint64_t period)
{
	h2srv_ticket_key_t fresh;

	if (period <= keys->period || RAND_bytes((unsigned char *)&fresh, sizeof(fresh)) != 1) {
		return false;
	}
	begin_write(keys);
	/* The last key resumes for one more period only if it was the previous period's. */
	if (keys->n && keys->period + 1 == period) {
		keys->k[1] = keys->k[0];
		keys->n = 2;
	} else {
		keys->n = 1;
	}
	keys->k[0] = fresh;
	keys->period = period;
	end_write(keys);
	OPENSSL_cleanse(&fresh, sizeof(fresh));
	return true;
}

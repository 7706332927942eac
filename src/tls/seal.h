#ifndef H2SRV_TLS_SEAL_H
#define H2SRV_TLS_SEAL_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/ssl.h>
#include <uv.h>
#include "buf.h"

/*
 * TLS 1.3 records sealed by h2srv instead of by OpenSSL. OpenSSL hands the application write
 * key over through its kernel-TLS interface (SSL_OP_ENABLE_KTLS, a BIO_CTRL_SET_KTLS on the
 * write BIO); from then on it passes each record's plaintext to the write BIO unencrypted and
 * unheaded, and this seals it (AEAD, RFC 8446 §5.2) straight into the connection's output.
 * That drops OpenSSL's copy into its record buffer and the copy out of it, and lets an emit
 * pass be encrypted from the response bodies where they lie.
 *
 * OpenSSL 3.0 keeps the next key to itself after a KeyUpdate. So when the peer asks for one,
 * h2srv seals our KeyUpdate record under the old key and hands sealing back to OpenSSL for the
 * rest of the connection (h2srv_tls_read() in tls.c). Only TLS 1.3 with AES-GCM or
 * ChaCha20-Poly1305 is taken; anything else is refused, and OpenSSL seals those records itself
 * as usual.
 */

#if defined(__linux__) && !defined(OPENSSL_NO_KTLS) && defined(HAVE_LINUX_TLS_H)
#define H2SRV_SEAL 1
#endif

#define H2SRV_SEAL_OVERHEAD 22    /* bytes a record adds: header 5, content type 1, tag 16 */

/* Where a record's plaintext comes from when it is not passed in one piece: an emit pass's
 * slices, read in order. */
typedef struct h2srv_seal_src {
	const uv_buf_t *bufs;
	uint32_t n;
	uint32_t i;                  /* the slice being read */
	size_t off;                  /* bytes of it already read */
} h2srv_seal_src_t;

typedef struct h2srv_seal {
	EVP_CIPHER_CTX *ctx;         /* the key set up; made from |key| when needed, freed while idle */
	const EVP_CIPHER *cipher;    /* NULL until OpenSSL hands the key over */
	uint64_t seq;                /* the next record's sequence number */
	unsigned char key[32];
	unsigned char iv[12];
	uint8_t type;                /* the next record's content type (OpenSSL names control records) */
	bool retired;                /* our KeyUpdate went out: the key is spent, OpenSSL has the next */
} h2srv_seal_t;

/* Whether h2srv seals the records (OpenSSL handed the key over and it is not spent). */
static inline bool h2srv_seal_on(const h2srv_seal_t *s)
{
	return s->cipher != NULL;
}

/* Fetches the ciphers once per process and checks the sealer against a published record
 * (RFC 8448); returns 0, or -1 with |*why| saying why h2srv must not seal. */
int h2srv_seal_startup(const char **why);
void h2srv_seal_shutdown(void);

/* Takes the key OpenSSL hands over in a BIO_CTRL_SET_KTLS (|info|); returns 1 when h2srv seals
 * the records from now on, 0 when OpenSSL must keep doing it. */
long h2srv_seal_take_key(h2srv_seal_t *s, long is_tx, const void *info);

/* Seals one record of |len| plaintext bytes, from |p| or, when |p| is NULL, from |src|, and
 * appends it to |out|; returns 0, or -1 (the connection must end). After a KeyUpdate record
 * the key is spent and every later call fails. */
int h2srv_seal_record(h2srv_seal_t *s, h2srv_buf_t *out, const unsigned char *p, h2srv_seal_src_t *src, size_t len);

/* Frees the cipher context of an idle connection (about 1 KiB); the next record makes it again. */
void h2srv_seal_trim(h2srv_seal_t *s);

/* Forgets the key: OpenSSL seals from now on. */
void h2srv_seal_free(h2srv_seal_t *s);

#endif

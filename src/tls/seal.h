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
 * OpenSSL 3.0 does not hand over the next key after a KeyUpdate, so the server's application
 * traffic secret is kept (from the key log callback) and the key schedule step done here
 * (RFC 8446 §7.2). Only TLS 1.3 with AES-GCM or ChaCha20-Poly1305 is taken; anything else is
 * refused, and OpenSSL seals those records itself as usual.
 */

#if defined(__linux__) && !defined(OPENSSL_NO_KTLS) && defined(HAVE_LINUX_TLS_H)
#define H2SRV_SEAL 1
#endif

#define H2SRV_SEAL_MAX_SECRET 48  /* bytes: SHA-384 */
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
	EVP_CIPHER_CTX *ctx;         /* holds the write key; NULL until OpenSSL hands it over */
	const EVP_CIPHER *cipher;
	const EVP_MD *md;            /* the suite's hash, for the key update */
	uint64_t seq;                /* the next record's sequence number */
	unsigned char iv[12];
	unsigned char secret[H2SRV_SEAL_MAX_SECRET]; /* the current server application traffic secret */
	uint8_t secret_len;
	uint8_t type;                /* the next record's content type (OpenSSL names control records) */
} h2srv_seal_t;

/* Fetches the ciphers and hashes once per process; returns 0, or -1. */
int h2srv_seal_startup(void);
void h2srv_seal_shutdown(void);

/* The key log line of a connection whose records h2srv seals: keeps its first server
 * application traffic secret. */
void h2srv_seal_keylog(h2srv_seal_t *s, const char *line);

/* Takes the key OpenSSL hands over in a BIO_CTRL_SET_KTLS (|info|); returns 1 when h2srv seals
 * the records from now on, 0 when OpenSSL must keep doing it. */
long h2srv_seal_take_key(h2srv_seal_t *s, long is_tx, const void *info);

/* Seals one record of |len| plaintext bytes, from |p| or, when |p| is NULL, from |src|, and
 * appends it to |out|; returns 0, or -1 (the connection must end). */
int h2srv_seal_record(h2srv_seal_t *s, h2srv_buf_t *out, const unsigned char *p, h2srv_seal_src_t *src, size_t len);

/* Forgets the key and secret. */
void h2srv_seal_free(h2srv_seal_t *s);

#endif

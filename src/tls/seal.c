#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "php.h"
#include <openssl/evp.h>
#include "tls/seal.h"

#ifdef H2SRV_SEAL
#include <linux/tls.h>

#define H2SRV_SEAL_MAX_PLAIN 16384  /* bytes: a TLS record's limit */
#define H2SRV_SEAL_SMALL 256        /* bytes: shorter slices are copied and encrypted in one run */
#define TLS_RT_HANDSHAKE 22
#define TLS_RT_APPLICATION_DATA 23
#define TLS_HS_KEY_UPDATE 24

/* What OpenSSL passes with BIO_CTRL_SET_KTLS on Linux (its struct tls_crypto_info_all): the
 * kernel's crypto info for the suite, then that info's length, which checks the layout. */
typedef struct {
	union {
		struct tls12_crypto_info_aes_gcm_128 gcm128;
		struct tls12_crypto_info_aes_gcm_256 gcm256;
		struct tls12_crypto_info_chacha20_poly1305 chacha;
	};
	size_t len;
} ktls_info_t;

static EVP_CIPHER *aes128gcm, *aes256gcm, *chacha;

/* RFC 8448 §3 (simple 1-RTT handshake): the server's application traffic key and IV, and the
 * record it sends with them at sequence number 1 (the NewSessionTicket took 0): 50 bytes
 * 00 01 .. 31 of application data. */
static const unsigned char rfc8448_key[16] = {
	0x9f, 0x02, 0x28, 0x3b, 0x6c, 0x9c, 0x07, 0xef, 0xc2, 0x6b, 0xb9, 0xf2, 0xac, 0x92, 0xe3, 0x56};
static const unsigned char rfc8448_iv[12] = {0xcf, 0x78, 0x2b, 0x88, 0xdd, 0x83, 0x54, 0x9a, 0xad, 0xf1, 0xe9, 0x84};
static const unsigned char rfc8448_record[72] = {
	0x17, 0x03, 0x03, 0x00, 0x43, 0x2e, 0x93, 0x7e, 0x11, 0xef, 0x4a, 0xc7, 0x40, 0xe5, 0x38, 0xad,
	0x36, 0x00, 0x5f, 0xc4, 0xa4, 0x69, 0x32, 0xfc, 0x32, 0x25, 0xd0, 0x5f, 0x82, 0xaa, 0x1b, 0x36,
	0xe3, 0x0e, 0xfa, 0xf9, 0x7d, 0x90, 0xe6, 0xdf, 0xfc, 0x60, 0x2d, 0xcb, 0x50, 0x1a, 0x59, 0xa8,
	0xfc, 0xc4, 0x9c, 0x4b, 0xf2, 0xe5, 0xf0, 0xa2, 0x1c, 0x00, 0x47, 0xc2, 0xab, 0xf3, 0x32, 0x54,
	0x0d, 0xd0, 0x32, 0xe1, 0x67, 0xc2, 0x95, 0x5d};

/* Seals RFC 8448's record twice, from one buffer and from slices (a long one among short
 * ones, so both ways encrypt_slices() takes are used), and compares both with the published
 * bytes: a check of the sealer that does not rest on OpenSSL's own record layer. */
static int self_check(const char **why)
{
	unsigned char plain[50];
	uv_buf_t slices[3];
	h2srv_buf_t out = {.persistent = true}; /* at module start: no request heap yet */
	int rc = 0;

	for (size_t i = 0; i < sizeof(plain); i++) {
		plain[i] = (unsigned char)i;
	}
	slices[0] = uv_buf_init((char *)plain, 5);
	slices[1] = uv_buf_init((char *)plain + 5, 1);
	slices[2] = uv_buf_init((char *)plain + 6, 44);
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		h2srv_seal_t s = {.cipher = aes128gcm, .seq = 1, .type = TLS_RT_APPLICATION_DATA};
		h2srv_seal_src_t src = {slices, 3, 0, 0};

		memcpy(s.key, rfc8448_key, sizeof(rfc8448_key));
		memcpy(s.iv, rfc8448_iv, sizeof(rfc8448_iv));
		out.len = 0;
		if (h2srv_seal_record(&s, &out, pass ? NULL : plain, pass ? &src : NULL, sizeof(plain)) != 0) {
			*why = "the self-check against RFC 8448 could not seal its record";
			rc = -1;
		} else if (out.len != sizeof(rfc8448_record) || memcmp(out.data, rfc8448_record, out.len) != 0) {
			*why = pass ? "the self-check against RFC 8448 sealed other bytes from slices"
				: "the self-check against RFC 8448 sealed other bytes";
			rc = -1;
		}
		h2srv_seal_free(&s);
	}
	h2srv_buf_free(&out);
	return rc;
}

int h2srv_seal_startup(const char **why)
{
	aes128gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
	aes256gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
	if (!aes128gcm || !aes256gcm || !chacha) {
		*why = "OpenSSL lacks AES-GCM or ChaCha20-Poly1305";
		return -1;
	}
	return self_check(why);
}

void h2srv_seal_shutdown(void)
{
	EVP_CIPHER_free(aes128gcm);
	EVP_CIPHER_free(aes256gcm);
	EVP_CIPHER_free(chacha);
	aes128gcm = aes256gcm = chacha = NULL;
}

long h2srv_seal_take_key(h2srv_seal_t *s, long is_tx, const void *info)
{
	const ktls_info_t *k = info;
	const unsigned char *key, *salt, *iv, *seq;
	size_t salt_len, iv_len;
	const EVP_CIPHER *cipher;

	if (!is_tx || !k || k->gcm128.info.version != TLS_1_3_VERSION) {
		return 0;
	}
	/* Each suite's info has the same fields in its own struct; its length must match. */
#define H2SRV_TAKE(f, c) \
	if (k->len != sizeof(k->f)) { \
		return 0; \
	} \
	cipher = (c), key = k->f.key, salt = k->f.salt, iv = k->f.iv, seq = k->f.rec_seq; \
	salt_len = sizeof(k->f.salt), iv_len = sizeof(k->f.iv)
	switch (k->gcm128.info.cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
		H2SRV_TAKE(gcm128, aes128gcm);
		break;
	case TLS_CIPHER_AES_GCM_256:
		H2SRV_TAKE(gcm256, aes256gcm);
		break;
	case TLS_CIPHER_CHACHA20_POLY1305:
		H2SRV_TAKE(chacha, chacha);
		break;
	default:
		return 0;
	}
#undef H2SRV_TAKE
	if (salt_len + iv_len != sizeof(s->iv) || (size_t)EVP_CIPHER_get_key_length(cipher) > sizeof(s->key)) {
		return 0;
	}
	h2srv_seal_free(s);
	memcpy(s->key, key, (size_t)EVP_CIPHER_get_key_length(cipher));
	s->cipher = cipher;
	s->retired = false;
	memcpy(s->iv, salt, salt_len);
	memcpy(s->iv + salt_len, iv, iv_len);
	s->seq = 0;
	for (int i = 0; i < 8; i++) {
		s->seq = s->seq << 8 | seq[i];
	}
	s->type = TLS_RT_APPLICATION_DATA;
	return 1;
}

/* Whether a handshake record holds a KeyUpdate message. */
static bool has_key_update(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i += 4 + ((size_t)p[i + 1] << 16 | (size_t)p[i + 2] << 8 | p[i + 3])) {
		if (p[i] == TLS_HS_KEY_UPDATE) {
			return true;
		}
	}
	return false;
}

/* Encrypts |len| bytes of |src|'s slices into |c|. Long slices are encrypted from where they
 * lie; runs of short ones (frame headers, small bodies) are copied next to each other first
 * and encrypted in one call, which costs less than a call each. */
static int encrypt_slices(EVP_CIPHER_CTX *ctx, unsigned char *c, h2srv_seal_src_t *src, size_t len)
{
	unsigned char *run = c;
	int l;

	while (len) {
		const uv_buf_t *b;
		size_t n;

		if (UNEXPECTED(src->i >= src->n)) {
			return -1;
		}
		b = &src->bufs[src->i];
		n = MIN(len, b->len - src->off);
		if (n < H2SRV_SEAL_SMALL) {
			memcpy(c, b->base + src->off, n);
		} else {
			if (run < c && !EVP_EncryptUpdate(ctx, run, &l, run, (int)(c - run))) {
				return -1;
			}
			if (!EVP_EncryptUpdate(ctx, c, &l, (const unsigned char *)b->base + src->off, (int)n)) {
				return -1;
			}
			run = c + n;
		}
		c += n;
		len -= n;
		src->off += n;
		if (src->off == b->len) {
			src->i++;
			src->off = 0;
		}
	}
	return run < c && !EVP_EncryptUpdate(ctx, run, &l, run, (int)(c - run)) ? -1 : 0;
}

int h2srv_seal_record(h2srv_seal_t *s, h2srv_buf_t *out, const unsigned char *p, h2srv_seal_src_t *src, size_t len)
{
	unsigned char nonce[12], *rec, *c;
	uint8_t type = s->type;
	int l;

	s->type = TLS_RT_APPLICATION_DATA; /* OpenSSL names each control record anew */
	if (UNEXPECTED(len > H2SRV_SEAL_MAX_PLAIN || s->seq == UINT64_MAX || s->retired)) {
		return -1;
	}
	if (UNEXPECTED(!s->ctx)) {
		s->ctx = EVP_CIPHER_CTX_new();
		if (!s->ctx || !EVP_EncryptInit_ex(s->ctx, s->cipher, NULL, s->key, NULL)) {
			h2srv_seal_trim(s);
			return -1;
		}
	}
	h2srv_buf_reserve(out, len + H2SRV_SEAL_OVERHEAD);
	rec = (unsigned char *)out->data + out->len;
	rec[0] = TLS_RT_APPLICATION_DATA; /* TLS 1.3 hides the real type inside */
	rec[1] = 3;
	rec[2] = 3;
	rec[3] = (unsigned char)((len + 17) >> 8);
	rec[4] = (unsigned char)(len + 17);
	memcpy(nonce, s->iv, sizeof(nonce));
	for (int i = 0; i < 8; i++) {
		nonce[4 + i] ^= (unsigned char)(s->seq >> (56 - 8 * i));
	}
	c = rec + 5;
	if (!EVP_EncryptInit_ex(s->ctx, NULL, NULL, NULL, nonce) || !EVP_EncryptUpdate(s->ctx, NULL, &l, rec, 5)) {
		return -1;
	}
	if (p ? !EVP_EncryptUpdate(s->ctx, c, &l, p, (int)len) : encrypt_slices(s->ctx, c, src, len) != 0) {
		return -1;
	}
	c[len] = type;
	if (!EVP_EncryptUpdate(s->ctx, c + len, &l, c + len, 1) || !EVP_EncryptFinal_ex(s->ctx, c + len + 1, &l)
		|| !EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_GET_TAG, 16, c + len + 1)) {
		return -1;
	}
	out->len += len + H2SRV_SEAL_OVERHEAD;
	s->seq++;
	/* Later records need the next key, which OpenSSL does not hand over (see seal.h). */
	s->retired = type == TLS_RT_HANDSHAKE && p && has_key_update(p, len);
	return 0;
}

void h2srv_seal_trim(h2srv_seal_t *s)
{
	EVP_CIPHER_CTX_free(s->ctx); /* cleanses the key schedule */
	s->ctx = NULL;
}

void h2srv_seal_free(h2srv_seal_t *s)
{
	h2srv_seal_trim(s);
	s->cipher = NULL;
	OPENSSL_cleanse(s->key, sizeof(s->key));
	OPENSSL_cleanse(s->iv, sizeof(s->iv));
}

#else /* no kernel-TLS interface in this OpenSSL or platform: OpenSSL seals every record */

int h2srv_seal_startup(const char **why)
{
	*why = "this build has no kernel-TLS interface to take the key through";
	return -1;
}

void h2srv_seal_shutdown(void)
{
}

long h2srv_seal_take_key(h2srv_seal_t *s, long is_tx, const void *info)
{
	(void)s; (void)is_tx; (void)info;
	return 0;
}

int h2srv_seal_record(h2srv_seal_t *s, h2srv_buf_t *out, const unsigned char *p, h2srv_seal_src_t *src, size_t len)
{
	(void)s; (void)out; (void)p; (void)src; (void)len;
	return -1;
}

void h2srv_seal_trim(h2srv_seal_t *s)
{
	(void)s;
}

void h2srv_seal_free(h2srv_seal_t *s)
{
	(void)s;
}

#endif

#ifndef H2SRV_TLS_H
#define H2SRV_TLS_H

#include <openssl/ssl.h>
#include <uv.h>
#include "buf.h"
#include "tls/seal.h"
#include "tls/tickets.h"

/*
 * One connection's TLS state. OpenSSL never owns the socket: it reads the ciphertext the
 * connection read from the socket straight from that read buffer (|in|, lent by
 * h2srv_tls_feed), and what OpenSSL writes lands in the connection's output buffer through a
 * write BIO, from where the connection sends it. With sealing on (see seal.h), OpenSSL writes
 * TLS 1.3 application records unencrypted to that BIO and h2srv seals them into the buffer.
 */
typedef struct h2srv_tls {
	SSL *ssl;
	const char *in;              /* ciphertext lent by the connection, not yet taken */
	size_t in_len;
	h2srv_buf_t *out;            /* where ciphertext goes */
	h2srv_seal_t seal;
	h2srv_seal_src_t *src;       /* the slices an h2srv_tls_write_slices() call is sealing */
	size_t seal_cap;             /* plaintext bytes per SSL_write_ex when sealing; 0: OpenSSL seals */
	uint64_t key_records;        /* TLS records written under the current write key (about) */
	uint64_t key_limit;          /* how many it may take before it is updated */
	bool broken;                 /* a handshake or record failed: no close_notify follows */
	bool http1;                  /* its listener takes HTTP/1.1 (ALPN http/1.1, or none) */
} h2srv_tls_t;

/* AES-GCM's usage limit per key (RFC 8446 §5.5: about 2^24.5 full records), with a margin:
 * past this many records a write key is updated (TLS 1.3) or the connection told to go. */
#define H2SRV_TLS_KEY_RECORDS 8388608 /* TLS records, 2^23 */

#define H2SRV_TLS_AGAIN   0  /* needs more ciphertext from the peer */
#define H2SRV_TLS_DONE    1  /* handshake finished */
#define H2SRV_TLS_CLOSED (-1) /* the peer sent close_notify */
#define H2SRV_TLS_FATAL  (-2) /* protocol or handshake failure; an alert may be queued */

/* Sets up the BIO method shared by all connections; returns 0, or -1 without memory. */
int h2srv_tls_startup(void);

/* Whether this build and this OpenSSL let h2srv seal TLS 1.3 records (see seal.h), and the
 * sealer passed its self-check; if not, |*why| says why. */
bool h2srv_tls_can_seal(const char **why);

/* Frees what h2srv_tls_startup() made. */
void h2srv_tls_shutdown(void);

/* A certificate chain and its private key, PEM files, and optionally a DER OCSP response for
 * it, stapled when a client asks (as nginx's ssl_stapling_file; h2srv fetches none itself). */
typedef struct h2srv_tls_pair {
	const char *cert;
	const char *key;
	const char *ocsp;              /* NULL: no staple */
} h2srv_tls_pair_t;

/* The certificates served for some names (SNI): exact names and one-label wildcards
 * ("*.example.org"), matched case-insensitively; one pair, or an RSA and an ECDSA one, of
 * which OpenSSL offers the one the client's signature algorithms take. */
typedef struct h2srv_tls_site {
	const char *const *hosts;
	uint32_t nhosts;
	const h2srv_tls_pair_t *pairs;
	uint32_t npairs;
} h2srv_tls_site_t;

/* Whether clients are asked for a certificate, and what a missing or unverified one means. */
typedef enum {
	H2SRV_TLS_VERIFY_NONE = 0,     /* not asked for */
	H2SRV_TLS_VERIFY_OPTIONAL,     /* asked for; the handshake goes on without a verified one */
	H2SRV_TLS_VERIFY_REQUIRE       /* asked for; none, or one that fails, is a TLS alert */
} h2srv_tls_verify_t;

/* Everything a server's TLS serves: the default pairs (for no SNI and names that match no
 * site), the sites, whether a name that matches none is refused (unrecognized_name), and
 * client certificates: verified against |client_ca| (a PEM file or a directory). */
typedef struct h2srv_tls_spec {
	const h2srv_tls_pair_t *pairs;
	uint32_t npairs;
	const h2srv_tls_site_t *sites;
	uint32_t nsites;
	bool sni_strict;
	h2srv_tls_verify_t verify;
	const char *client_ca;
	h2srv_ticket_keys_t *tickets;  /* shared session ticket keys; NULL: OpenSSL's own per context */
} h2srv_tls_spec_t;

/* What a finished handshake settled, kept for the requests of the connection (refcounted:
 * a request may outlive its connection). */
typedef struct h2srv_tls_facts {
	uint32_t refs;
	const char *protocol;          /* OpenSSL's static names: "TLSv1.3", the cipher's */
	const char *cipher;
	X509 *client_cert;             /* a verified client certificate, or NULL */
	bool resumed;
	bool has_sni;
	unsigned char *wire;           /* h2srv_tls_facts_wire(), made once per connection */
	size_t wire_len;
	char sni[];                    /* the server name the client sent, when |has_sni| */
} h2srv_tls_facts_t;

/* Takes the facts of |t|'s finished handshake; returns them with one reference, or NULL
 * without memory. */
h2srv_tls_facts_t *h2srv_tls_facts(h2srv_tls_t *t);

/* Drops a reference; the last frees the facts. */
void h2srv_tls_facts_release(h2srv_tls_facts_t *f);

/* |f| as bytes for another process (h2srv_tls_facts_decode), made on the first call and kept
 * with the facts; sets |*len|. NULL without memory. */
const unsigned char *h2srv_tls_facts_wire(h2srv_tls_facts_t *f, size_t *len);

/* Makes facts with one reference from what h2srv_tls_facts_encode() wrote, or NULL. */
h2srv_tls_facts_t *h2srv_tls_facts_decode(const unsigned char *p, size_t len);

/* Builds the server context (TLS 1.2+, ALPN "h2" only, renegotiation off) from |spec|, with a
 * context per site that the ClientHello's server name switches to; returns NULL and writes a
 * message naming the bad file into |why|. The sites live as long as the returned context. */
SSL_CTX *h2srv_tls_ctx_new(const h2srv_tls_spec_t *spec, char *why, size_t whylen);

/* Starts a server-side TLS session whose ciphertext output is appended to |out|; returns 0 or -1.
 * A non-zero |seal_cap| asks for h2srv to seal the records (TLS 1.3 only, where this OpenSSL
 * allows it), with that many plaintext bytes per SSL_write_ex in h2srv_tls_write_slices().
 * |key_limit| is the records a write key may take (H2SRV_TLS_KEY_RECORDS, lower in tests).
 * With |http1| a client that offers http/1.1 and not h2, or no ALPN at all, is taken. */
int h2srv_tls_open(h2srv_tls_t *t, SSL_CTX *ctx, h2srv_buf_t *out, size_t seal_cap, uint64_t key_limit, bool http1);

/* Whether the handshake settled on h2 (else the connection speaks HTTP/1.1). */
bool h2srv_tls_alpn_h2(const h2srv_tls_t *t);

/* Whether h2srv seals this session's records: known once the handshake is done, and false
 * again after a KeyUpdate the peer asked for (see seal.h). */
static inline bool h2srv_tls_sealing(const h2srv_tls_t *t)
{
	return h2srv_seal_on(&t->seal);
}

/* Lends |len| ciphertext bytes from the socket to the read side; they must stay valid until
 * the next call, which drops what OpenSSL did not take (call with NULL, 0 when done). */
static inline void h2srv_tls_feed(h2srv_tls_t *t, const char *p, size_t len)
{
	t->in = p;
	t->in_len = len;
}

/* Advances the handshake; returns H2SRV_TLS_DONE, H2SRV_TLS_AGAIN or H2SRV_TLS_FATAL (with |*why|). */
int h2srv_tls_handshake(h2srv_tls_t *t, const char **why);

/* Decrypts into |buf|; returns bytes (> 0), H2SRV_TLS_AGAIN, H2SRV_TLS_CLOSED or H2SRV_TLS_FATAL.
 * A KeyUpdate the peer asked for is answered here, into the output buffer. */
ssize_t h2srv_tls_read(h2srv_tls_t *t, char *buf, size_t cap);

/* Whether the write key has taken its limit of records and must be updated before more. */
static inline bool h2srv_tls_key_spent(const h2srv_tls_t *t)
{
	return t->key_records >= t->key_limit;
}

/* Sends a KeyUpdate (TLS 1.3) into the output buffer, after which the next write key seals;
 * when h2srv sealed, OpenSSL seals from then on. Returns 0, or -1 when the key cannot be
 * updated (TLS 1.2) or the session failed. */
int h2srv_tls_update_key(h2srv_tls_t *t);

/* Encrypts |n| plaintext bytes into the output buffer: an emit sink; returns 0 or -1. */
int h2srv_tls_write(void *t, const char *p, size_t n);

/* Encrypts the |n| slices into the output buffer from where they lie, seal_cap bytes per
 * SSL_write_ex: the emit sink of a sealing session; returns 0, or -1 (also when h2srv does
 * not seal this session's records). */
int h2srv_tls_write_slices(void *t, const uv_buf_t *bufs, uint32_t n);

/* An idle connection gives back what sealing can make again (see h2srv_seal_trim). */
static inline void h2srv_tls_trim(h2srv_tls_t *t)
{
	h2srv_seal_trim(&t->seal);
}

/* Points the ciphertext output at |out| from now on. */
void h2srv_tls_set_output(h2srv_tls_t *t, h2srv_buf_t *out);

/* Queues close_notify, the graceful end of our side (RFC 8446 §6.1), into the output buffer;
 * nothing if the handshake never finished or the session broke (an error alert went instead). */
void h2srv_tls_close_notify(h2srv_tls_t *t);

/* Frees the session and both BIOs. */
void h2srv_tls_close(h2srv_tls_t *t);

#endif

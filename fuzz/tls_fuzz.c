/*
 * libFuzzer target for the TLS side of a connection: the bridge in src/tls/ (feed, handshake,
 * read, write) with the real server context (ALPN h2 only, TLS 1.2+), built from a throwaway
 * ECDSA certificate made once.
 *
 * The first input byte picks one of two cases:
 * - bit 7 clear: the rest is raw bytes from the network (a broken or hostile ClientHello),
 *   pushed in chunks whose size comes from bits 0-6, as the connection would push them;
 * - bit 7 set: an in-process OpenSSL client (TLS 1.2 if bit 6 is set, else 1.3) completes a
 *   real handshake with a server that seals its own TLS 1.3 records if bit 5 is set (see
 *   src/tls/seal.h), then the rest is a script of what that client does next (see play()):
 *   valid records, records with a flipped byte, raw junk, records cut short, key updates,
 *   renegotiation, close_notify, and server writes read back by the client. That reaches the
 *   code paths that a fuzzer feeding raw bytes never gets past the handshake to.
 * Nothing damages what the server sends, so a record the client cannot decrypt is a sealing
 * bug, and aborts.
 */
#include <assert.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sapi/embed/php_embed.h>
#include "tls/tls.h"

#define WIRE_MAX (1 << 20)

typedef struct {
	h2srv_tls_t srv;
	h2srv_buf_t srv_out;          /* ciphertext the server wrote, not yet given to the client */
	bool srv_open;
	bool srv_done;                /* the server saw close_notify or a fatal error */
	SSL *cli;
	BIO *cli_in, *cli_out;        /* the client's memory BIOs */
	unsigned char wire[WIRE_MAX]; /* ciphertext from the client, on its way to the server */
	size_t wire_len;
} pair_t;

static SSL_CTX *srv_ctx, *cli_ctx12, *cli_ctx13;

static SSL_CTX *make_srv_ctx(void)
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
	{
		h2srv_tls_pair_t pair = {cert, key};
		h2srv_tls_spec_t spec = {&pair, 1, NULL, 0, false};
		return h2srv_tls_ctx_new(&spec, why, sizeof(why));
	}
}

static SSL_CTX *make_cli_ctx(int version)
{
	static const unsigned char alpn[] = "\x02h2";
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());

	SSL_CTX_set_min_proto_version(c, version);
	SSL_CTX_set_max_proto_version(c, version);
	SSL_CTX_set_alpn_protos(c, alpn, sizeof(alpn) - 1);
	SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
	return c;
}

/* Moves what the client wrote onto the wire. */
static void client_to_wire(pair_t *p)
{
	int n;

	while (p->wire_len < WIRE_MAX
		&& (n = BIO_read(p->cli_out, p->wire + p->wire_len, (int)(WIRE_MAX - p->wire_len))) > 0) {
		p->wire_len += (size_t)n;
	}
}

/* Gives the server |n| bytes of the wire, as one socket read, and lets it react the way the
 * connection does: handshake first, then read until it needs more and answer what it read. */
static void wire_to_server(pair_t *p, size_t n)
{
	static char plain[16384];
	const char *why;

	n = n < p->wire_len ? n : p->wire_len;
	if (p->srv_done || n == 0) {
		return;
	}
	h2srv_tls_feed(&p->srv, (const char *)p->wire, n);
	if (!p->srv_open) {
		int r = h2srv_tls_handshake(&p->srv, &why);
		p->srv_done = r == H2SRV_TLS_FATAL;
		p->srv_open = r == H2SRV_TLS_DONE;
	}
	while (p->srv_open && !p->srv_done) {
		ssize_t r = h2srv_tls_read(&p->srv, plain, sizeof(plain));
		if (r == H2SRV_TLS_AGAIN) {
			break;
		}
		if (r < 0) {
			p->srv_done = true;
			break;
		}
		if (h2srv_tls_write(&p->srv, plain, (size_t)r) != 0) { /* echo it, as a response would */
			p->srv_done = true;
		}
	}
	/* The connection keeps what OpenSSL did not take for the next read. */
	n -= p->srv.in_len;
	h2srv_tls_feed(&p->srv, NULL, 0);
	memmove(p->wire, p->wire + n, p->wire_len - n);
	p->wire_len -= n;
}

/* Hands the server's output to the client and lets the client read it. */
static void server_to_client(pair_t *p)
{
	char sink[16384];
	size_t n;

	if (p->srv_out.len) {
		BIO_write(p->cli_in, p->srv_out.data, (int)p->srv_out.len);
		p->srv_out.len = 0;
	}
	if (SSL_is_init_finished(p->cli)) {
		while (SSL_read_ex(p->cli, sink, sizeof(sink), &n)) {
		}
		if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC) {
			abort(); /* the server's records are never damaged on their way */
		}
		ERR_clear_error();
	}
}

static bool handshake(pair_t *p)
{
	for (int round = 0; round < 8; round++) {
		int r = SSL_do_handshake(p->cli);
		int e = SSL_get_error(p->cli, r); /* before the BIOs are touched again */
		client_to_wire(p);
		wire_to_server(p, p->wire_len);
		server_to_client(p);
		if (r == 1 && p->srv_open) {
			return true;
		}
		if (r != 1 && e != SSL_ERROR_WANT_READ) {
			break;
		}
	}
	ERR_clear_error();
	return false;
}

/*
 * The script: each step is an op byte, a length byte and up to that many data bytes.
 *   op % 8 == 0  the client sends data as application data
 *             1  the same, with one byte of its ciphertext flipped (a forged or damaged record)
 *             2  raw junk on the wire
 *             3  the client sends data but only part of the ciphertext arrives, in two reads
 *             4  a TLS 1.3 key update (the peer's reply requested), or a 1.2 renegotiation;
 *                with data, the client also sends it, and the key update record arrives in
 *                one read with the first data[0] bytes of the record after it, the rest in
 *                the next (OpenSSL's read side then holds part of a record while the server
 *                answers the key update)
 *             5  the server writes data (a response) and the client reads it; when the
 *                server seals its records, as up to three slices sealed in place
 *             6  close_notify from the client
 *             7  the client sends data and it arrives one byte per read
 */
static void play(pair_t *p, const uint8_t *data, size_t size)
{
	while (size >= 2 && !p->srv_done) {
		uint8_t op = data[0] % 8;
		size_t len = data[1] < size - 2 ? data[1] : size - 2;
		const uint8_t *arg = data + 2;
		size_t had = p->wire_len;

		data += 2 + len, size -= 2 + len;
		switch (op) {
		case 0:
		case 1:
		case 3:
		case 7:
			if (len == 0 || SSL_write(p->cli, arg, (int)len) <= 0) {
				ERR_clear_error();
				break;
			}
			client_to_wire(p);
			if (op == 1 && p->wire_len > had) {
				p->wire[had + arg[0] % (p->wire_len - had)] ^= (uint8_t)(1u << (arg[len - 1] % 8));
			}
			if (op == 3) {
				wire_to_server(p, had + (p->wire_len - had) / 2);
			}
			while (op == 7 && p->wire_len && !p->srv_done) {
				wire_to_server(p, 1);
			}
			break;
		case 2:
			if (p->wire_len + len <= WIRE_MAX) {
				memcpy(p->wire + p->wire_len, arg, len);
				p->wire_len += len;
			}
			break;
		case 4:
			if (SSL_version(p->cli) == TLS1_3_VERSION) {
				SSL_key_update(p->cli, SSL_KEY_UPDATE_REQUESTED);
			} else {
				SSL_renegotiate(p->cli);
			}
			SSL_do_handshake(p->cli);
			ERR_clear_error();
			if (len && SSL_version(p->cli) == TLS1_3_VERSION && SSL_write(p->cli, arg, (int)len) > 0) {
				client_to_wire(p);
				if (p->wire_len >= had + 5) {
					size_t first = had + 5 + ((size_t)p->wire[had + 3] << 8 | p->wire[had + 4]);
					if (first < p->wire_len) {
						wire_to_server(p, first + arg[0] % (p->wire_len - first + 1));
					}
				}
				break;
			}
			ERR_clear_error();
			client_to_wire(p);
			break;
		case 5:
			if (len >= 3) {
				size_t a = arg[0] % len, b = a + arg[1] % (len - a);
				uv_buf_t v[3] = {uv_buf_init((char *)arg, (unsigned)a), uv_buf_init((char *)arg + a, (unsigned)(b - a)),
					uv_buf_init((char *)arg + b, (unsigned)(len - b))};
				if (h2srv_tls_sealing(&p->srv)) {
					p->srv_done = h2srv_tls_write_slices(&p->srv, v, 3) != 0;
					break;
				}
				/* Without the key, OpenSSL would seal its placeholder instead of the slices:
				 * refused, and nothing written. */
				size_t before = p->srv_out.len;
				if (h2srv_tls_write_slices(&p->srv, v, 3) != -1 || p->srv_out.len != before) {
					abort();
				}
			}
			if (len && h2srv_tls_write(&p->srv, (const char *)arg, len) != 0) {
				p->srv_done = true;
			}
			break;
		case 6:
			SSL_shutdown(p->cli);
			client_to_wire(p);
			break;
		}
		wire_to_server(p, p->wire_len);
		server_to_client(p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static pair_t p;

	if (!srv_ctx) {
		php_embed_module.php_ini_ignore = 1; /* no php.ini: no opcache, no other extensions */
		php_embed_init(0, NULL);
		h2srv_tls_startup();
		srv_ctx = make_srv_ctx();
		cli_ctx12 = make_cli_ctx(TLS1_2_VERSION);
		cli_ctx13 = make_cli_ctx(TLS1_3_VERSION);
		if (!srv_ctx || !cli_ctx12 || !cli_ctx13) {
			abort();
		}
	}
	if (size < 1) {
		return 0;
	}
	p.srv_open = p.srv_done = false;
	p.wire_len = 0;
	p.srv_out.len = 0;
	/* A small cap, so that one sealing write takes several SSL_write_ex calls; half of the
	 * inputs on a listener that also takes HTTP/1.1 (the ALPN fallback to http/1.1). */
	if (h2srv_tls_open(&p.srv, srv_ctx, &p.srv_out, (data[0] & 0xa0) == 0xa0 ? 1024 : 0, H2SRV_TLS_KEY_RECORDS,
		(data[0] & 0x01) != 0) != 0) {
		return 0;
	}
	if (data[0] & 0x80) {
		p.cli = SSL_new(data[0] & 0x40 ? cli_ctx12 : cli_ctx13);
		p.cli_in = BIO_new(BIO_s_mem());
		p.cli_out = BIO_new(BIO_s_mem());
		SSL_set_bio(p.cli, p.cli_in, p.cli_out);
		SSL_set_connect_state(p.cli);
		if (handshake(&p)) {
			play(&p, data + 1, size - 1);
			/* The graceful end a connection makes: close_notify, which the client must read. */
			h2srv_tls_close_notify(&p.srv);
			server_to_client(&p);
		}
		SSL_free(p.cli);
	} else {
		size_t chunk = (size_t)(data[0] & 0x7f) * 13 + 1;
		for (data++, size--; size && !p.srv_done;) {
			size_t n = size < chunk ? size : chunk;
			if (p.wire_len + n > WIRE_MAX) {
				break;
			}
			memcpy(p.wire + p.wire_len, data, n);
			p.wire_len += n;
			data += n, size -= n;
			wire_to_server(&p, p.wire_len);
		}
	}
	h2srv_tls_close(&p.srv);
	ERR_clear_error();
	return 0;
}

#ifndef H2SRV_TLS_TICKETS_H
#define H2SRV_TLS_TICKETS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <openssl/ssl.h>

/*
 * Session ticket keys that every process of a server shares, so that a ticket one worker
 * issued resumes on any other, and across reloads. Either rotated (a new random key every
 * rotation period, the previous one still accepted for one more period, so that a ticket
 * stops resuming after at most two periods: forward secrecy), or read from a file in nginx's
 * ssl_session_ticket_key format (80 bytes a key: name 16, HMAC secret 32, AES key 32; the first
 * key issues tickets, all of them resume them) so that several servers resume each other's.
 * The table lives in shared memory; the supervisor (or the single process) writes it, and
 * handshakes read it under a sequence count.
 */

#define H2SRV_TICKET_KEY_FILE_BYTES 80
#define H2SRV_TICKET_KEYS_MAX 8        /* keys a file may hold */

typedef struct h2srv_ticket_key {
	unsigned char name[16];
	unsigned char hmac[32];
	unsigned char aes[32];
} h2srv_ticket_key_t;

typedef struct h2srv_ticket_keys {
	uint32_t seq;                  /* odd while being written */
	uint32_t n;                    /* keys; [0] issues tickets */
	uint64_t period;               /* the rotation period [0] is for; 0 when read from a file */
	h2srv_ticket_key_t k[H2SRV_TICKET_KEYS_MAX];
} h2srv_ticket_keys_t;

/* Makes |ctx| issue and resume tickets with |keys| (shared by every context of the process). */
void h2srv_tickets_use(SSL_CTX *ctx, h2srv_ticket_keys_t *keys);

/* Reads a key file into |keys|; returns 0, or -1 with |why| naming the file. */
int h2srv_tickets_load(h2srv_ticket_keys_t *keys, const char *path, char *why, size_t whylen);

/* For rotated keys: when |period| is past the table's, a new random key issues tickets and the
 * last one is kept for resuming only; older ones go. Returns whether it rotated. */
bool h2srv_tickets_rotate(h2srv_ticket_keys_t *keys, uint64_t period);

#endif

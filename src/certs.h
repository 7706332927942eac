#ifndef H2SRV_CERTS_H
#define H2SRV_CERTS_H

#include "php.h"
#include <openssl/ssl.h>
#include "tls/tls.h"

/* The certificate options as given (cert, key, ocsp, certificates, sni_strict, client_ca,
 * client_verify), kept for reloads;
 * the TLS context is built from them at construction and again at each reload. */
typedef struct h2srv_certs {
	zval cert;                     /* a PEM file, or a list of them (an RSA and an ECDSA chain) */
	zval key;                      /* as many keys, in the same order */
	zval ocsp;                     /* as many DER OCSP responses to staple, or UNDEF */
	zval certificates;             /* list of ['hosts' => [...], 'cert' => …, 'key' => …] */
	bool sni_strict;               /* a name no entry matches is refused (unrecognized_name) */
	zval client_ca;                /* a PEM file or directory of CAs that sign client certificates */
	h2srv_tls_verify_t verify;     /* client_verify */
	zval ticket_keys;              /* a file of session ticket keys (nginx's format), or UNDEF */
	uint64_t ticket_rotation;      /* seconds a rotated ticket key issues tickets */
	h2srv_ticket_keys_t *tickets;  /* the keys, in memory every process shares */
} h2srv_certs_t;

/* Takes option |name| if it is one of these: returns 1 (taken), 0 (not a certificate option)
 * or -1 with an H2srv\Exception naming the option and what is wrong. */
int h2srv_certs_option(h2srv_certs_t *c, zend_string *name, zval *v);

/* Once every option is read: the default cert and key list as many files; throws if not. */
zend_result h2srv_certs_check(const h2srv_certs_t *c);

/* Whether a default certificate and key were given (a TLS listener needs them). */
bool h2srv_certs_given(const h2srv_certs_t *c);

/* Builds the TLS context from the files (read now, the ticket key file too); returns NULL
 * with |why| naming the file. */
SSL_CTX *h2srv_certs_context(h2srv_certs_t *c, char *why, size_t whylen);

/* Rotates the ticket keys when a rotation period has begun (without a ticket key file); run
 * by the process that owns the keys (the supervisor, or the single process), on its timer. */
void h2srv_certs_rotate_tickets(h2srv_certs_t *c);

void h2srv_certs_init(h2srv_certs_t *c);
void h2srv_certs_free(h2srv_certs_t *c);

#endif

#ifndef H2SRV_CONN_H
#define H2SRV_CONN_H

#include <uv.h>
#include "buf.h"
#include "tls/tls.h"
#include "h2/session.h"
#include "transport.h"

/* Ciphertext a connection may hold unsent before it stops producing frames (the output cap). */
#define H2SRV_OUTPUT_CAP (256 * 1024) /* bytes */

#define H2SRV_IOV_MAX 1024 /* slices per vectored write: Linux's UIO_MAXIOV */

/* After our last bytes (GOAWAY, an alert) we half-close and drop what the peer still sends for
 * this long: closing a socket with unread input sends a TCP RST, which can destroy the GOAWAY
 * before the peer reads it. */
#define H2SRV_LINGER_MS 1000 /* ms */

typedef enum {
	H2SRV_CONN_HANDSHAKE, /* TLS not finished, or no cleartext byte yet told the protocol; no session */
	H2SRV_CONN_OPEN,      /* HTTP/2 or HTTP/1.x session running */
	H2SRV_CONN_FLUSHING,  /* write what is queued (an alert, a GOAWAY), then linger */
	H2SRV_CONN_LINGER,    /* our side is shut; read and drop until the peer closes or a timer */
	H2SRV_CONN_CLOSED     /* handle closing; memory goes in the close callback */
} h2srv_conn_state_t;

/* One accepted TCP connection and everything it owns. */
typedef struct h2srv_conn {
	uv_tcp_t tcp;
	h2srv_transport_t *t;          /* the loop it is on, and what it shares there */
	struct h2srv_conn *prev;       /* the server's connections */
	struct h2srv_conn *next;
	struct h2srv_conn *next_dirty; /* on the server's list of connections with frames to emit */
	h2srv_tls_t tls;               /* unused on a cleartext (h2c) connection */
	h2srv_h2_t h2;
	h2srv_emit_out_t out;          /* where emit passes go: TLS, or the socket itself */
	h2srv_buf_t wq;                /* ciphertext not yet given to the socket */
	h2srv_buf_t inflight;          /* ciphertext a uv_write owns */
	uv_write_t wreq;
	uv_shutdown_t sreq;
	zend_string *remote;           /* the peer's IP address */
	h2srv_tls_facts_t *tls_facts;  /* what the TLS handshake settled, once it has */
	uint64_t born;                 /* loop time (ms) of accept, then of the start of lingering */
	uint64_t last_read;            /* loop time of the last bytes from the peer */
	uint64_t last_write;           /* loop time the socket last took bytes */
	uint64_t last_data;            /* loop time response bodies last moved (or had none to move) */
	uint64_t seen_data_out;        /* h2.data_out at that time */
	h2srv_conn_state_t state;
	bool in_io;                    /* inside on_read: emit and close wait for its end */
	bool abort;                    /* close as soon as on_read returns */
	bool writing;                  /* a uv_write is in flight */
	bool dirty;                    /* on the dirty list */
	bool cleartext;                /* h2c: no TLS, frames go straight to the socket */
	bool key_goaway;               /* told to go because its TLS 1.2 write key is spent */
	bool input_dropped;            /* a connection error left a read unfinished: read no more */
	bool peer_closed;              /* the peer's close_notify was read: it sends nothing more */
	bool http1;                    /* the listener takes HTTP/1.x beside HTTP/2 */
	bool reading_paused;           /* an HTTP/1.1 pipeline is full: the socket is not read */
	uint8_t nsniffed;              /* cleartext: bytes of the HTTP/2 preface seen so far */
} h2srv_conn_t;

/* Makes a connection on |t| of socket |fd|, just accepted from a listener that speaks TLS if
 * |tls| and takes HTTP/1.x beside HTTP/2 if |http1| (or, with -1, accepts it from the libuv
 * handle |listener|); the connection owns the socket, also when it is refused. */
void h2srv_conn_accept(h2srv_transport_t *t, uv_stream_t *listener, bool tls, bool http1, int fd,
	const struct sockaddr *peer);

/* Asks for an emit pass: now, or at the end of the current read, or on the next loop turn. */
void h2srv_conn_want_emit(h2srv_conn_t *c);

/* Runs an emit pass and writes what it produced to the socket. */
void h2srv_conn_emit(h2srv_conn_t *c);

/* Graceful stop: the two-step GOAWAY (h2srv_h2_goaway), then close once the open streams are
 * done. A connection still in its TLS handshake gets it as soon as the handshake ends. */
void h2srv_conn_goaway(h2srv_conn_t *c);

/* Enforces the timeouts at loop time |now| (ms) and refills the glitch bucket by |refill|
 * tokens; called for every connection on each tick of the server's sweep timer. */
void h2srv_conn_tick(h2srv_conn_t *c, uint64_t now, uint32_t refill);

/* Closes the connection at once, dropping its streams. */
void h2srv_conn_abort(h2srv_conn_t *c);

#endif

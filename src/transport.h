#ifndef H2SRV_TRANSPORT_H
#define H2SRV_TRANSPORT_H

#include <uv.h>
#include <openssl/ssl.h>
#include "php.h"
#include "php_h2srv.h"
#include "buf.h"
#include "log.h"
#include "balance.h"
#include "side.h"
#include "stats.h"
#include "h2/session.h"

struct h2srv_conn;

#define H2SRV_READ_BUF (64 * 1024)   /* bytes; one socket read, shared by the loop */
#define H2SRV_PLAIN_BUF (64 * 1024)  /* bytes; one decrypt, shared by the loop */
#define H2SRV_SWEEP_MS 250           /* ms between timeout checks: timeouts fire up to this late */

/* Options resolved once from the constructor's array and the INI settings. */
typedef struct h2srv_opts {
	size_t byte_cap;               /* plaintext bytes per SSL_write_ex */
	h2srv_emit_mode_t emit;
	bool seal;                     /* gather passes are sealed by h2srv from where they lie (TLS 1.3) */
	uint64_t key_records;          /* TLS records per write key (h2srv.tls_key_records) */
	uint64_t shutdown_timeout_ms;  /* graceful stop gives up after this */
	uint64_t handshake_timeout_ms; /* accept to the client's first HTTP/2 frame */
	uint64_t idle_timeout_ms;      /* no streams and no traffic: GOAWAY and close */
	uint64_t read_timeout_ms;      /* a request stalled this long is reset */
	uint64_t write_timeout_ms;     /* a peer that takes no response bytes this long is cut off */
	uint32_t max_connections;      /* open connections; past it new ones are closed at once */
	uint32_t workers;              /* processes running handlers; more than 1 makes run() a supervisor */
	uint32_t reactors;             /* request dispatch: processes holding the connections */
	bool dispatch_request;         /* connections in reactors, requests to any free worker */
	uint64_t max_requests;         /* a worker is replaced after this many handler calls; 0: never */
	uint64_t max_worker_memory;    /* resident bytes past which a worker is replaced; 0: never */
	struct h2srv_static *statics;  /* static file mounts (and their cache), NULL when there are none */
} h2srv_opts_t;

/*
 * What the connections of one loop share, and all they see of whoever runs that loop (the
 * server today): the loop, the buffers one read, decrypt or pass uses at a time, the settings
 * resolved once, the counters, the PHP side to tell about streams, and the connections
 * themselves. The transport (conn, tls/, h2/) reads this and never the server.
 */
typedef struct h2srv_transport {
	uv_loop_t loop;
	const h2srv_opts_t *opts;
	const h2srv_h2_limits_t *limits;
	h2srv_stats_t *stats;          /* this process's counters */
	h2srv_side_t *side;            /* the PHP side */
	h2srv_balance_t *balance;      /* this worker's published load */
	h2srv_log_t *access_log;       /* fd -1 when off */
	SSL_CTX *ssl_ctx;              /* for new TLS connections; a reload replaces it */
	struct h2srv_conn *conns;      /* every open connection */
	struct h2srv_conn *dirty;      /* connections with frames to emit on the next loop turn */
	uv_idle_t idle;                /* runs those passes */
	uint32_t nconns;
	uint32_t conns_peak;           /* most connections open since memory was last given back */
	char *readbuf;
	char *plainbuf;
	h2srv_buf_t sendbuf;           /* one emit pass's ciphertext, shared by the loop's connections */
	bool stopping;                 /* new sessions are told to go at once (graceful stop) */
	/* Called when the last connection of a stopping transport has gone. */
	void (*drained)(struct h2srv_transport *t);
} h2srv_transport_t;

/* Sets up the idle handle and shared buffers on |t|'s loop (initialised by the caller). */
void h2srv_transport_init(h2srv_transport_t *t);

/* Frees the shared buffers (the loop's handles are closed by the caller). */
void h2srv_transport_free(h2srv_transport_t *t);

#endif

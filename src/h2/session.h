#ifndef H2SRV_H2_SESSION_H
#define H2SRV_H2_SESSION_H

#include <nghttp2/nghttp2.h>
#include "php_h2srv.h"
#include "h2/emit.h"
#include "h2/mem.h"
#include "h2/recent.h"
#include "h2/stream.h"
#include "ws/frame.h"

#define H2SRV_STREAM_WINDOW (1024 * 1024)      /* bytes; SETTINGS_INITIAL_WINDOW_SIZE */
#define H2SRV_CONN_WINDOW (16 * 1024 * 1024)   /* bytes; connection-level receive window */
#define H2SRV_MAX_HEADER_LIST (64 * 1024)      /* bytes; SETTINGS_MAX_HEADER_LIST_SIZE, enforced here */

/*
 * The DoS policy, in one place. A "glitch" is a frame that costs us work without moving a
 * request forward: a RST_STREAM from the peer, a reset the peer provoked (an invalid frame
 * on a stream: "MadeYouReset"), PING, SETTINGS after the first, PRIORITY, an empty DATA or
 * CONTINUATION, an unknown frame type, a refused request. Each takes a token from a bucket
 * of |glitch_budget| tokens refilled at |glitch_rate| per second; an empty bucket ends the
 * connection with GOAWAY(ENHANCE_YOUR_CALM). nghttp2 itself bounds queued PING/SETTINGS
 * ACKs (H2SRV_MAX_OUTBOUND_ACK), SETTINGS entries and CONTINUATION frames per header block.
 */
#define H2SRV_GLITCH_BUDGET 1000          /* tokens; option glitch_budget */
#define H2SRV_GLITCH_RATE 100             /* tokens per second; option glitch_rate */
#define H2SRV_MAX_OUTBOUND_ACK 1000       /* PING/SETTINGS ACKs queued unread; past it: ENHANCE_YOUR_CALM */
#define H2SRV_MAX_SETTINGS 32             /* entries per SETTINGS frame; past it: ENHANCE_YOUR_CALM */
#define H2SRV_MAX_CONTINUATIONS 8         /* CONTINUATION frames per header block; past it: close */
#define H2SRV_FED_LOW (16 * 1024)          /* bytes; a fed body below this asks its owner for more */
#define H2SRV_FED_HIGH (64 * 1024)         /* bytes; the owner stops writing a fed body at this */
#define H2SRV_MAX_TRAILERS 64              /* fields in a response's trailing HEADERS */
#define H2SRV_GOAWAY_ACK_WAIT_MS 1000     /* ms a graceful GOAWAY waits for its PING's ACK */
#define H2SRV_SPOOL_CHUNK (256 * 1024)    /* bytes of a spooled body gathered per write() */

/* Per-server protocol limits, resolved once from the options. */
typedef struct h2srv_h2_limits {
	uint32_t max_concurrent_streams; /* SETTINGS_MAX_CONCURRENT_STREAMS */
	size_t max_body_size;            /* bytes of request body; past it: 413 */
	size_t max_header_list;          /* bytes, RFC 9113 accounting; past it: 431 */
	size_t body_buffer_size;         /* bytes of request body kept in memory; past it: spooled */
	const char *upload_dir;          /* where spooled bodies go */
	uint32_t glitch_budget;          /* tokens; see H2SRV_GLITCH_BUDGET */
	uint32_t glitch_rate;            /* tokens per second */
	/* Requests handed to the PHP side at their headers besides WebSockets (option
	 * early_dispatch: path prefixes). */
	zend_string **early;
	uint32_t nearly;
	uint64_t ws_max_message;         /* bytes of one WebSocket message; past it: 1009 */
	uint64_t ws_idle_ms;             /* a silent WebSocket is pinged after this, and reset after
	                                  * as long again; 0: never */
} h2srv_h2_limits_t;

/* Protocol counters a server keeps across all its sessions: plain increments, read by stats(). */
typedef struct h2srv_h2_stats {
	uint64_t streams_open;
	uint64_t streams_total;
	uint64_t responses[6];       /* by status class: [2] is 2xx; includes the server's own 413/431/500 */
	uint64_t resets_received;    /* RST_STREAM from peers */
	uint64_t resets_sent;        /* RST_STREAM to peers (ours and nghttp2's) */
	uint64_t goaway_graceful;    /* GOAWAY(NO_ERROR): stop, idle */
	uint64_t goaway_calm;        /* GOAWAY(ENHANCE_YOUR_CALM): glitch budget, floods */
	uint64_t goaway_error;       /* GOAWAY with any other code: protocol errors */
	uint64_t glitches;
	uint64_t emit_passes;        /* emit passes that produced bytes */
	uint64_t emit_writes;        /* SSL_write_ex calls they made */
	uint64_t h1_conns;           /* connections that spoke HTTP/1.x */
	uint64_t h1_requests;        /* requests that arrived complete over HTTP/1.x */
	uint64_t h1_refused;         /* HTTP/1.x requests refused as malformed or over a limit, then closed */
	uint64_t h1_pauses;          /* times a full pipeline stopped reading a connection */
	h2srv_ws_stats_t ws;
} h2srv_h2_stats_t;

/* One connection's abuse counters: everything the DoS policy decides on. */
typedef struct h2srv_budget {
	uint32_t glitch_tokens;      /* left in the bucket */
	uint32_t settings_seen;      /* non-ACK SETTINGS frames received */
	bool calm;                   /* the bucket ran dry: GOAWAY(ENHANCE_YOUR_CALM) */
} h2srv_budget_t;

/* One connection's HTTP/2 side: the nghttp2 session, its live streams and its emit state. */
typedef struct h2srv_h2 {
	nghttp2_session *ng;
	h2srv_h2_mem_t mem;          /* nghttp2's allocator for this session */
	h2srv_emit_t emit;
	h2srv_emit_mode_t mode;
	const h2srv_h2_limits_t *limits;
	h2srv_h2_stats_t *stats;
	h2srv_budget_t budget;
	h2srv_recent_t recent;       /* the peer's recent stream ids, for frames on closed streams */
	h2srv_stream_t *streams;     /* open streams, for teardown */
	uint32_t nreading;           /* open streams whose request is still arriving */
	uint32_t nsending;           /* open streams with a response submitted and not yet sent */
	uint64_t data_out;           /* response body bytes handed to nghttp2: write progress */
	bool got_preface;            /* the client's preface and first SETTINGS arrived */
	bool goaway_final;           /* the GOAWAY naming the last stream we accept is queued */
	uint64_t goaway_notice_at;   /* ms; a shutdown notice and its PING went out, no ACK yet */
	h2srv_stream_t *ready_head;  /* complete requests; each entry holds a reference */
	h2srv_stream_t *ready_tail;
	h2srv_stream_t *hungry;      /* fed bodies whose owner should write more (no reference) */
	h2srv_stream_t *closed;      /* closed streams whose side data the owner must settle; each
	                              * entry holds a reference */
	h2srv_stream_t *inbound;     /* EARLY streams with new body bytes or their end, for the PHP
	                              * side (each entry holds a reference) */
	/* An HTTP/1.1 connection keeps its streams, lists, counters and emit in this same record,
	 * with no nghttp2 session (|ng| NULL): h1/session.h is the rest of its state. */
	struct h2srv_h1 *h1;
	void *owner;                 /* the connection */
	uint64_t now;                /* loop time (ms), kept current by the owner */
	/* Called as each stream ends (response sent or stream reset), when set: the access log. */
	void (*on_done)(void *owner, const h2srv_stream_t *s);
	/* Called when a response was submitted or a paused body resumed outside a read, so that the
	 * owner runs an emit pass soon. */
	void (*on_wake)(void *owner);
} h2srv_h2_t;

/* Builds the callbacks and options shared by every session; returns 0 or -1. */
int h2srv_h2_startup(void);

/* Frees what h2srv_h2_startup() made. */
void h2srv_h2_shutdown(void);

/* Starts a server session and queues our SETTINGS; |limits| and |stats| belong to the server.
 * Returns 0 or -1. */
int h2srv_h2_open(h2srv_h2_t *h2, const h2srv_h2_limits_t *limits, h2srv_h2_stats_t *stats,
	h2srv_emit_mode_t mode, size_t byte_cap, void *owner);

/* Feeds decrypted bytes to nghttp2; returns 0, or -1 when the session must end (GOAWAY queued). */
int h2srv_h2_recv(h2srv_h2_t *h2, const char *p, size_t len);

/* Pops the next complete request; the caller owns the returned reference. */
h2srv_stream_t *h2srv_h2_next_ready(h2srv_h2_t *h2);

/* Runs one emit pass of at most about |room| bytes into |out|; returns the bytes produced or -1. */
ssize_t h2srv_h2_send(h2srv_h2_t *h2, size_t room, const h2srv_emit_out_t *out);

/* ---- a session's streams, also kept by HTTP/1.1 (h1/) ---- */

/* Makes stream |id| with the session's reference: linked, counted, its request arriving. */
h2srv_stream_t *h2srv_h2_stream_open(h2srv_h2_t *h2, int32_t id);

/* The request of |s| has fully arrived (or never will): it no longer counts as reading. */
void h2srv_h2_stream_arrived(h2srv_h2_t *h2, h2srv_stream_t *s);

/* Queues the complete request |s| for h2srv_h2_next_ready() (the queue takes a reference). */
void h2srv_h2_stream_ready(h2srv_h2_t *h2, h2srv_stream_t *s);

/* Ends the session's hold on |s| (its response sent, or the stream reset): the body goes now,
 * unless a slice of it waits in this emit pass, which then keeps it until its flush; side data
 * goes onto the closed list; the session's reference is dropped. */
void h2srv_h2_stream_detach(h2srv_h2_t *h2, h2srv_stream_t *s);

/* Puts the fed stream |s| on the hungry list, unless it is there or its body is complete. */
void h2srv_h2_stream_hungry(h2srv_h2_t *h2, h2srv_stream_t *s);

/* Whether the request on |s|, its headers complete, goes to the PHP side now (a WebSocket, or
 * a path under early_dispatch) rather than once its body is complete. */
bool h2srv_h2_wants_early(const h2srv_h2_limits_t *limits, const h2srv_stream_t *s);

/* Puts the EARLY stream |s| on the inbound list, unless it is there. */
void h2srv_h2_stream_inbound(h2srv_h2_t *h2, h2srv_stream_t *s);

/* Pops an inbound stream; the caller owns the returned reference. */
static inline h2srv_stream_t *h2srv_h2_next_inbound(h2srv_h2_t *h2)
{
	h2srv_stream_t *s = h2->inbound;

	if (s) {
		h2->inbound = s->next_inbound;
		s->next_inbound = NULL;
		s->flags &= ~H2SRV_STREAM_INBOUND;
	}
	return s;
}

/* The PHP side took |n| body bytes of the EARLY stream |s|: the peer may send as many more. */
void h2srv_h2_consumed(h2srv_stream_t *s, size_t n);

/* Moves the buffered body bytes of |s| into its temporary file, creating it on first use;
 * returns 0, or -1 (logged) when the file cannot be made or written. */
int h2srv_h2_spool(h2srv_h2_t *h2, h2srv_stream_t *s);

/* ---- responses (respond.c) ---- */

/* Submits a response: :status, |nv| as given, content-length, and |body| (ownership moves,
 * NULL for none). Returns 0 or -1 when the stream is gone. */
int h2srv_h2_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body);

/* Submits a response whose body is fed: from |fd| (|size| bytes; ownership of the fd moves
 * here) or, with |fd| -1, written by the owner with h2srv_h2_write() as the stream turns up in
 * h2srv_h2_next_hungry(); |size| -1 when unknown (no content-length). Returns 0 or -1. */
int h2srv_h2_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size);

/* Sets the trailers sent after the body (name, value, …; ownership of the array and strings
 * moves to the stream). Call before responding. */
void h2srv_h2_set_trailers(h2srv_stream_t *s, zend_string **pairs, uint32_t n);

/* Appends |n| bytes to a fed body, the last ones if |last|; returns whether the owner should
 * write more now (false once H2SRV_FED_HIGH bytes wait, or the stream is gone). */
bool h2srv_h2_write(h2srv_stream_t *s, const char *p, size_t n, bool last);

/* Puts a fed stream back on the hungry list (its owner paused and has bytes again). */
void h2srv_h2_want_more(h2srv_stream_t *s);

/* Pops a stream whose fed body wants more bytes, or NULL. */
h2srv_stream_t *h2srv_h2_next_hungry(h2srv_h2_t *h2);

/* Resets a stream whose response cannot be completed (RST_STREAM INTERNAL_ERROR). */
void h2srv_h2_reset(h2srv_stream_t *s);

/* ---- stopping ---- */

/* Graceful stop, in two steps (RFC 9113 §6.8): a shutdown notice (GOAWAY naming stream
 * 2^31-1) and a PING; once the PING's ACK arrives, or after H2SRV_GOAWAY_ACK_WAIT_MS, every
 * request the peer sent before it read the notice is here, and the final GOAWAY names the last
 * one. Streams past it were never accepted and the peer may retry them elsewhere. */
void h2srv_h2_goaway(h2srv_h2_t *h2);

/* Sends the final GOAWAY of a graceful stop whose PING went unanswered for too long; called
 * from the connection's sweep. */
void h2srv_h2_goaway_sweep(h2srv_h2_t *h2);

/* Queues GOAWAY(NO_ERROR) and ends the session once it is sent (idle connections). */
void h2srv_h2_terminate(h2srv_h2_t *h2);

/* Resets with CANCEL every stream whose request is still arriving; returns how many. */
uint32_t h2srv_h2_cancel_incomplete(h2srv_h2_t *h2);

/* Puts |per_tick| tokens back into the glitch bucket, up to the budget. */
static inline void h2srv_h2_refill(h2srv_h2_t *h2, uint32_t per_tick)
{
	uint32_t max = h2->limits->glitch_budget;
	h2->budget.glitch_tokens = max - h2->budget.glitch_tokens <= per_tick ? max : h2->budget.glitch_tokens + per_tick;
}

/* Whether nghttp2 still wants to read or write; 0 means the session is over. */
static inline int h2srv_h2_alive(h2srv_h2_t *h2)
{
	return nghttp2_session_want_read(h2->ng) || nghttp2_session_want_write(h2->ng);
}

/* Takes the next closed stream that still carries side data, with the list's reference (the
 * caller settles it and drops the reference), or NULL. Streams close inside nghttp2's callbacks;
 * their side data is settled after them, so no user code runs in there. */
static inline h2srv_stream_t *h2srv_h2_next_closed(h2srv_h2_t *h2)
{
	h2srv_stream_t *s = h2->closed;

	if (s) {
		h2->closed = s->next_closed;
		s->next_closed = NULL;
	}
	return s;
}

/* Asks the owner of |h2| for an emit pass (a response was submitted from outside a read). */
static inline void h2srv_h2_wake(h2srv_h2_t *h2)
{
	if (h2->on_wake) {
		h2->on_wake(h2->owner);
	}
}

/* Whether nghttp2 has frames to send. */
static inline int h2srv_h2_want_write(h2srv_h2_t *h2)
{
	return nghttp2_session_want_write(h2->ng);
}

/* An idle connection (no streams, nothing to send) gives back what nghttp2 can spare. */
static inline void h2srv_h2_trim(h2srv_h2_t *h2)
{
	if (!h2->streams && !nghttp2_session_want_write(h2->ng)) {
		h2srv_h2_mem_release(&h2->mem);
	}
}

/* Closes every stream (releasing what PHP objects they hold) and frees the session. */
void h2srv_h2_close(h2srv_h2_t *h2);

#endif

#ifndef H2SRV_H1_SESSION_H
#define H2SRV_H1_SESSION_H

#include <llhttp.h>
#include "h2/session.h"

/*
 * HTTP/1.1 (and 1.0) on one connection. The connection keeps its streams, lists, counters and
 * emit in the same record an HTTP/2 connection uses (h2srv_h2_t, with no nghttp2 session), so
 * that the PHP sides, the timeouts and the emit work on either; this is the rest: llhttp's
 * parser in strict mode, the refusals llhttp leaves to us, and the pipeline that answers
 * requests in the order they came.
 *
 * Abuse policy: every malformed or oversized request is answered with its status and
 * "connection: close", and nothing after it on the connection is read (no second request can
 * be smuggled behind a refused one). A pipeline of H2SRV_H1_MAX_PIPELINE requests waiting for
 * their responses stops reading the socket until half of them are answered. Slow headers and
 * bodies are cut by the read timeout (408), idle connections by the idle timeout.
 */

#define H2SRV_H1_MAX_TARGET (8 * 1024)  /* bytes of request target; past it: 414 */
#define H2SRV_H1_MAX_PIPELINE 64        /* requests waiting for responses before reading pauses */
#define H2SRV_H1_FILE_CHUNK (64 * 1024) /* bytes of a sendFile() body read per emit slice */

typedef struct h2srv_h1 {
	llhttp_t parser;
	h2srv_h2_t *sess;             /* the connection's session record */
	h2srv_stream_t *cur;          /* the request being parsed (also on the pipeline) */
	h2srv_stream_t *pipe_head;    /* requests in arrival order, until each response is gathered */
	h2srv_stream_t *pipe_tail;
	uint32_t npipe;
	int32_t next_id;
	h2srv_buf_t name;             /* the header field being parsed, across reads */
	h2srv_buf_t value;
	h2srv_buf_t target;           /* the request target being parsed */
	h2srv_buf_t held;             /* bytes read while the pipeline was full, parsed later */
	const char *in;               /* the start of the bytes being parsed, for where a span lies */
	char prev[2];                 /* the last two bytes parsed before |in| */
	char prev_nonws;              /* the last byte before |in| that is not SP or HTAB */
	uint32_t hosts;               /* Host fields in the request being parsed */
	bool https;
	bool in_trailers;
	bool paused;                  /* the pipeline is full: |held| waits, the socket is not read */
	bool closing;                 /* no more requests: close once the pipeline is answered */
	bool goaway;                  /* graceful stop: the next complete request is the last */
	bool dead;                    /* a response was cut short: close now */
	bool ws_upgrade;              /* the request being parsed asks "upgrade: websocket"... */
	bool ws_connection;           /* ... with "connection: upgrade" */
	/* After a WebSocket's 101 every byte read is its frames (into its stream's body). */
	h2srv_stream_t *tunnel;
	/* An EARLY stream whose untaken body reached a window's worth: reading waits for it. */
	h2srv_stream_t *blocked;
} h2srv_h1_t;

/* Sets up the parser callbacks shared by every connection. */
void h2srv_h1_startup(void);

/* Starts HTTP/1.x on the session record |sess| (opened by the caller as for HTTP/2, without
 * nghttp2); returns 0. */
int h2srv_h1_open(h2srv_h2_t *sess, const h2srv_h2_limits_t *limits, h2srv_h2_stats_t *stats,
	size_t byte_cap, void *owner, bool https);

/* Parses bytes from the peer; complete requests go on the ready list. Always 0: a malformed
 * request is answered and the connection closes after it. */
int h2srv_h1_recv(h2srv_h2_t *sess, const char *p, size_t len);

/* Parses what was held while the pipeline was full, once it has room again; returns whether
 * reading may go on (the pipeline is not full). */
bool h2srv_h1_resume(h2srv_h2_t *sess);

/* Whether a paused pipeline has drained enough for h2srv_h1_resume() to parse again, and a
 * request body read ahead of its handler has been taken down to half a window. */
static inline bool h2srv_h1_can_resume(const h2srv_h2_t *sess)
{
	const h2srv_h1_t *h1 = sess->h1;

	return h1 && h1->npipe <= H2SRV_H1_MAX_PIPELINE / 2
		&& (!h1->blocked || !h1->blocked->h2 || h1->blocked->body.len < H2SRV_STREAM_WINDOW / 2);
}

/* Runs one emit pass: the responses at the head of the pipeline, in order, up to about |room|
 * bytes; returns the bytes produced or -1. */
ssize_t h2srv_h1_send(h2srv_h2_t *sess, size_t room, const h2srv_emit_out_t *out);

/* Whether the connection still has something to read or write; false: close it. */
bool h2srv_h1_alive(const h2srv_h2_t *sess);

/* Whether the head of the pipeline has bytes to gather now. */
bool h2srv_h1_want_write(const h2srv_h2_t *sess);

/* Graceful stop: the request being parsed (or, if none, the last one queued) is the last one;
 * its response says "connection: close". */
void h2srv_h1_goaway(h2srv_h2_t *sess);

/* Idle: close now. */
void h2srv_h1_terminate(h2srv_h2_t *sess);

/* Answers a request whose headers or body stalled with 408 and closes after it; returns how
 * many (0 or 1). */
uint32_t h2srv_h1_cancel_incomplete(h2srv_h2_t *sess);

/* Whether the request being parsed has taken |timeout| ms or more to send its headers (a
 * slowloris that drips bytes keeps the read timeout from firing). */
bool h2srv_h1_headers_late(const h2srv_h2_t *sess, uint64_t now, uint64_t timeout);

/* Closes the session record (every stream, see h2srv_h2_close) and frees the parser. */
void h2srv_h1_close(h2srv_h2_t *sess);

/* ---- responses (h1/respond.c), as h2/session.h's h2srv_h2_respond() and friends ---- */

int h2srv_h1_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body);
int h2srv_h1_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size);
bool h2srv_h1_write(h2srv_stream_t *s, const char *p, size_t n, bool last);
void h2srv_h1_want_more(h2srv_stream_t *s);
/* The PHP side took body bytes of the EARLY stream |s|: reading may resume (see can_resume). */
void h2srv_h1_consumed(h2srv_stream_t *s, size_t n);
void h2srv_h1_reset(h2srv_stream_t *s);

/* Answers |s| with |status| and closes the connection after it (a refused request). */
void h2srv_h1_refuse(h2srv_stream_t *s, uint16_t status);

#endif

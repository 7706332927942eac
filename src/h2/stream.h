#ifndef H2SRV_H2_STREAM_H
#define H2SRV_H2_STREAM_H

#include "php.h"
#include "buf.h"

struct h2srv_h2;
struct h2srv_ws;

/* One request header, as offsets into the stream's |hbytes|. */
typedef struct h2srv_field {
	uint32_t name_off;
	uint32_t name_len;
	uint32_t value_off;
	uint32_t value_len;
} h2srv_field_t;

#define H2SRV_STREAM_ENDED    (1u << 1) /* a response was submitted */
#define H2SRV_STREAM_REFUSED  (1u << 2) /* answered by the server itself (|refusal| status) */
#define H2SRV_STREAM_HEAD     (1u << 3) /* HEAD request: headers only */
#define H2SRV_STREAM_REQ_DONE (1u << 4) /* the peer ended its side */
#define H2SRV_STREAM_SENDING  (1u << 5) /* nghttp2 holds a response for it (counted in nsending) */
#define H2SRV_STREAM_READING  (1u << 6) /* its request is still arriving (counted in nreading) */
#define H2SRV_STREAM_CANCELED (1u << 7) /* reset by the server for a stalled request */
#define H2SRV_STREAM_QUEUED   (1u << 8) /* on the session's ready list (which holds a reference) */
#define H2SRV_STREAM_FED      (1u << 9) /* the body comes from |out_q| (stream()) or |out_fd| (sendFile()) */
#define H2SRV_STREAM_OUT_EOF  (1u << 10) /* the owner has written the body's last bytes */
#define H2SRV_STREAM_DEFERRED (1u << 11) /* nghttp2 waits for bytes: resume it when some come */
#define H2SRV_STREAM_HUNGRY   (1u << 12) /* on the session's hungry list: its owner should write more */
#define H2SRV_STREAM_H1       (1u << 13) /* the request came over HTTP/1.x */
#define H2SRV_STREAM_H10      (1u << 14) /* ... over HTTP/1.0 */
#define H2SRV_STREAM_H1_CLOSE (1u << 15) /* the connection closes after this response */
#define H2SRV_STREAM_H1_CONTINUE (1u << 16) /* owes the client a 100 Continue */
#define H2SRV_STREAM_H1_TRAILERS (1u << 17) /* the client takes trailers (TE: trailers) */
#define H2SRV_STREAM_H1_CHUNKED (1u << 18) /* the response body goes chunked */
#define H2SRV_STREAM_H1_HEAD_OUT (1u << 19) /* the response head is gathered */
#define H2SRV_STREAM_H1_BROKEN (1u << 20) /* the response was reset: cut the connection */
#define H2SRV_STREAM_EARLY    (1u << 21) /* handed to the PHP side at its headers: the body follows
                                          * as it arrives (early_dispatch, WebSockets) */
#define H2SRV_STREAM_WS       (1u << 22) /* a WebSocket handshake (RFC 8441 CONNECT, or Upgrade) */
#define H2SRV_STREAM_TUNNEL   (1u << 23) /* HTTP/1.1: the response is a 101, its body raw bytes */
#define H2SRV_STREAM_INBOUND  (1u << 24) /* on the session's inbound list (which holds a reference) */
#define H2SRV_STREAM_CONNECT  (1u << 25) /* HTTP/2: its :method is CONNECT */

#define H2SRV_FIELD_NONE UINT32_MAX

/*
 * One HTTP/2 stream: the request as it arrives and the response body while it is sent.
 * Refcounted: the session holds one reference until on_stream_close, and the Request and
 * Response objects each hold one, so PHP may keep them after the peer went away.
 */
typedef struct h2srv_stream {
	uint32_t refs;
	uint32_t flags;
	int32_t id;
	uint16_t refusal;            /* status the server answers by itself, 0 if none */
	uint16_t status;             /* status of the submitted response, 0 if none */
	struct h2srv_h2 *h2;         /* NULL once the stream is closed */
	struct h2srv_stream *prev;   /* the session's live streams */
	struct h2srv_stream *next;
	struct h2srv_stream *next_ready; /* the session's complete requests, while QUEUED */
	struct h2srv_stream *prev_ready;

	/* request */
	h2srv_buf_t hbytes;          /* header names and values, back to back */
	h2srv_field_t *fields;
	uint32_t nfields;
	uint32_t cap_fields;
	uint32_t f_method;           /* indices into |fields|, H2SRV_FIELD_NONE if absent */
	uint32_t f_path;
	uint32_t f_authority;
	size_t header_list_size;     /* RFC 9113 accounting: name + value + 32 per field */
	uint64_t started;            /* loop time (ms) its headers began */
	h2srv_buf_t body;            /* the request body, or bytes on their way to |spool_fd| */
	uint64_t body_size;          /* request body bytes received so far */
	int spool_fd;                /* -1, or the open temporary file the body goes to */
	zend_string *spool_path;     /* the body's temporary file, removed with the stream */

	/* response: the body is released in on_stream_close; what the PHP side keeps for the stream
	 * (the in-process side: its Response object) it lets go of when the owner settles the
	 * closed stream (see side.h): the transport never touches it */
	void *side_data;
	/* a worker's copy of a request another process's transport holds: how to answer it
	 * (dispatch/worker.c); NULL in the process that owns the connection */
	void *remote;
	zend_string *out_body;
	size_t out_read;             /* body bytes handed to nghttp2 */
	size_t out_sent;             /* body bytes gathered into emit records */
	uint64_t emit_pass;          /* last emit pass that holds a slice of |out_body| */
	/* a fed body (FED): bytes the owner wrote that nghttp2 has not taken, or an open file */
	h2srv_buf_t out_q;
	size_t out_q_off;            /* bytes of |out_q| already taken */
	int out_fd;                  /* -1 unless sendFile() */
	uint64_t out_left;           /* bytes of the file still to read */
	struct h2srv_stream *next_hungry;
	struct h2srv_stream *next_closed; /* on the session's closed list (see h2srv_h2_next_closed) */
	zend_string **trailers;      /* name, value, …: sent as HEADERS after the body */
	uint32_t ntrailers;          /* strings in |trailers|: twice the field count */
	uint32_t f_trailers;         /* index of the first request trailer field, NONE if none */
	/* HTTP/1.x: the response head (status line and fields, not yet its framing and end), and
	 * the next request on the connection, in arrival order */
	h2srv_buf_t head;
	struct h2srv_stream *next_pipe;
	/* an EARLY stream: body bytes not yet taken by the PHP side (in |body|) are not credited to
	 * the peer's window; with a WebSocket, |body| holds its frames and |ws| reads them */
	struct h2srv_stream *next_inbound;
	struct h2srv_ws *ws;
} h2srv_stream_t;

/* Takes a stream from the per-process pool (or allocates one) with one reference. */
h2srv_stream_t *h2srv_stream_new(struct h2srv_h2 *h2, int32_t id);

/* Drops a reference; the last one returns the stream to the pool. */
void h2srv_stream_unref(h2srv_stream_t *s);

/* Whether the request body is in a temporary file rather than in |body|. */
static inline bool h2srv_stream_spooled(const h2srv_stream_t *s)
{
	return s->spool_path != NULL;
}

/* Records a request field; returns its index, or H2SRV_FIELD_NONE past 4 GiB of headers. */
uint32_t h2srv_stream_add_field(h2srv_stream_t *s, const uint8_t *name, size_t nlen,
	const uint8_t *value, size_t vlen);

static inline const char *h2srv_field_name(const h2srv_stream_t *s, uint32_t i)
{
	return s->hbytes.data + s->fields[i].name_off;
}

static inline const char *h2srv_field_value(const h2srv_stream_t *s, uint32_t i)
{
	return s->hbytes.data + s->fields[i].value_off;
}

/* A request field's value and length for log lines, or "?" when the field is absent. */
static inline const char *h2srv_field_or_unknown(const h2srv_stream_t *s, uint32_t i, int *len)
{
	if (i == H2SRV_FIELD_NONE) {
		*len = 1;
		return "?";
	}
	*len = (int)s->fields[i].value_len;
	return h2srv_field_value(s, i);
}

/* Prepares the fed body of |s| (stream(), sendFile()): read from |fd| when it is open and
 * there are |size| > 0 bytes to send, else written by the owner; with nothing to send (|send|
 * false, or |size| 0) the body is complete at once and no producer is ever called. Takes
 * ownership of |fd|. */
static inline void h2srv_stream_feed(h2srv_stream_t *s, bool send, int fd, int64_t size)
{
	s->flags |= H2SRV_STREAM_FED;
	if (!send || size == 0) {
		s->flags |= H2SRV_STREAM_OUT_EOF;
	}
	if (fd >= 0 && send && size > 0) {
		s->out_fd = fd;
		s->out_left = (uint64_t)size;
	} else if (fd >= 0) {
		close(fd);
	}
}

/* Queues |n| bytes the owner wrote for a fed body, the last ones if |last|, first reclaiming
 * what was taken (what is left is under H2SRV_FED_LOW: bounded memory). */
static inline void h2srv_stream_queue(h2srv_stream_t *s, const char *p, size_t n, bool last)
{
	if (s->out_q_off) {
		h2srv_buf_consume(&s->out_q, s->out_q_off);
		s->out_q_off = 0;
	}
	if (n) {
		h2srv_buf_append(&s->out_q, p, n); /* (an end with no bytes may find no buffer yet) */
	}
	if (last) {
		s->flags |= H2SRV_STREAM_OUT_EOF;
	}
}

/* Frees every pooled stream; called at request shutdown. */
void h2srv_stream_pool_drain(void);

#endif

#ifndef H2SRV_SIDE_H
#define H2SRV_SIDE_H

#include "php.h"
#include "h2/stream.h"
#include "tls/tls.h"

/* Who sent a request: the peer's address and, over TLS, what its handshake settled. */
typedef struct h2srv_peer {
	zend_string *remote;
	h2srv_tls_facts_t *tls;        /* NULL on a cleartext (h2c) connection */
} h2srv_peer_t;

/*
 * The cut between the transport and the PHP side. The transport (conn, tls/, h2/: sockets,
 * TLS, HTTP/2, limits, timeouts, the emit) holds no PHP object and calls no user code; it
 * tells the side that the server installed about three moments of a stream, and the side
 * answers through the stream (h2/respond.c). Every call comes outside nghttp2's callbacks and
 * outside an emit pass, so user code (handlers, producers, destructors) never runs inside
 * either. The in-process side (server.c and response.c: connection dispatch) calls the
 * handler at once; a shared-memory side would hand the request to any free worker.
 */
typedef struct h2srv_side h2srv_side_t;

struct h2srv_side {
	/* A complete request (headers, body, trailers) on |s| from |peer|. The side answers now or
	 * later; it takes references to |s| and to the peer's facts for as long as it keeps them. */
	void (*request)(h2srv_side_t *side, h2srv_stream_t *s, const h2srv_peer_t *peer);
	/* New body bytes, or the end, of a stream handed over early (H2SRV_STREAM_EARLY), or new
	 * entries in the inbox of its WebSocket (ws/socket.h): the side takes what it can now
	 * (h2srv_proto_consumed() credits the bytes) and may leave the rest for later. NULL when the
	 * side cannot take requests before their end: the transport then never hands any over. */
	void (*input)(h2srv_side_t *side, h2srv_stream_t *s);
	/* A fed body (stream()) ran low: the side writes more into |s| (h2srv_h2_write), ends it,
	 * or waits for its producer to resume. */
	void (*produce)(h2srv_side_t *side, h2srv_stream_t *s);
	/* |s| closed (sent, reset, or its connection gone): the side lets go of what it kept for
	 * the stream in |s->side_data|, which it then sets to NULL. */
	void (*closed)(h2srv_side_t *side, h2srv_stream_t *s);
};

#endif

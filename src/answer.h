#ifndef H2SRV_ANSWER_H
#define H2SRV_ANSWER_H

#include "php.h"
#include <nghttp2/nghttp2.h>
#include "h2/stream.h"
#include "ws/deflate.h"

/*
 * How a Response reaches its stream: straight into the HTTP/2 session of this process
 * (connection dispatch, response.c's h2srv_answer_local) or through shared memory to the
 * reactor that owns the connection (request dispatch, dispatch/worker.c). The calls mean what
 * h2/session.h's h2srv_h2_respond() and friends mean; |open| says whether the stream can still
 * take a response or more of its body.
 */
typedef struct h2srv_answer {
	int (*respond)(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body);
	int (*respond_fed)(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size);
	void (*set_trailers)(h2srv_stream_t *s, zend_string **pairs, uint32_t n);
	bool (*write)(h2srv_stream_t *s, const char *p, size_t n, bool last);
	void (*want_more)(h2srv_stream_t *s);
	void (*reset)(h2srv_stream_t *s);
	bool (*open)(const h2srv_stream_t *s);
	/* A request handed over early (H2SRV_STREAM_EARLY): PHP took |n| body bytes, the peer may
	 * send as many more; and: hand over from the loop what input is there already. */
	void (*consumed)(h2srv_stream_t *s, size_t n);
	void (*want_input)(h2srv_stream_t *s);
	/* A WebSocket (ws/socket.h, run by whichever process holds the connection): its handshake
	 * answer went, the frames begin (|deflate| NULL unless agreed); a message out, false past
	 * the high-water mark; the closing handshake. */
	void (*ws_open)(h2srv_stream_t *s, const h2srv_ws_deflate_t *deflate);
	bool (*ws_send)(h2srv_stream_t *s, bool binary, const char *p, size_t n);
	void (*ws_close)(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len);
} h2srv_answer_t;

/* Answers into this process's HTTP/2 sessions. */
extern const h2srv_answer_t h2srv_answer_local;

#endif

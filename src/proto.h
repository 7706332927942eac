#ifndef H2SRV_PROTO_H
#define H2SRV_PROTO_H

#include "h2/session.h"
#include "h1/session.h"

/*
 * Whichever protocol a connection speaks. A connection's session record (h2srv_h2_t) runs
 * nghttp2 for HTTP/2 or, with |h1| set, HTTP/1.x (h1/); the connection and the PHP sides call
 * these and never ask which.
 */

/* ---- a connection's session ---- */

static inline int h2srv_proto_recv(h2srv_h2_t *sess, const char *p, size_t len)
{
	return sess->h1 ? h2srv_h1_recv(sess, p, len) : h2srv_h2_recv(sess, p, len);
}

static inline ssize_t h2srv_proto_send(h2srv_h2_t *sess, size_t room, const h2srv_emit_out_t *out)
{
	return sess->h1 ? h2srv_h1_send(sess, room, out) : h2srv_h2_send(sess, room, out);
}

static inline bool h2srv_proto_alive(h2srv_h2_t *sess)
{
	return sess->h1 ? h2srv_h1_alive(sess) : h2srv_h2_alive(sess) != 0;
}

static inline bool h2srv_proto_want_write(h2srv_h2_t *sess)
{
	return sess->h1 ? h2srv_h1_want_write(sess) : h2srv_h2_want_write(sess) != 0;
}

static inline void h2srv_proto_goaway(h2srv_h2_t *sess)
{
	if (sess->h1) {
		h2srv_h1_goaway(sess);
	} else {
		h2srv_h2_goaway(sess);
	}
}

static inline void h2srv_proto_terminate(h2srv_h2_t *sess)
{
	if (sess->h1) {
		h2srv_h1_terminate(sess);
	} else {
		h2srv_h2_terminate(sess);
	}
}

static inline uint32_t h2srv_proto_cancel_incomplete(h2srv_h2_t *sess)
{
	return sess->h1 ? h2srv_h1_cancel_incomplete(sess) : h2srv_h2_cancel_incomplete(sess);
}

static inline void h2srv_proto_trim(h2srv_h2_t *sess)
{
	if (!sess->h1) {
		h2srv_h2_trim(sess);
	}
}

/* Whether a session is open (HTTP/2 or HTTP/1.x). */
static inline bool h2srv_proto_open(const h2srv_h2_t *sess)
{
	return sess->ng || sess->h1;
}

static inline void h2srv_proto_close(h2srv_h2_t *sess)
{
	if (sess->h1) {
		h2srv_h1_close(sess);
	} else if (sess->ng) {
		h2srv_h2_close(sess);
	}
}

/* ---- one stream's response (the calls of h2/session.h's responses section) ---- */

static inline bool h2srv_proto_is_h1(const h2srv_stream_t *s)
{
	return s->flags & H2SRV_STREAM_H1;
}

static inline int h2srv_proto_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body)
{
	return h2srv_proto_is_h1(s) ? h2srv_h1_respond(s, status, nv, nvlen, body)
		: h2srv_h2_respond(s, status, nv, nvlen, body);
}

static inline int h2srv_proto_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size)
{
	return h2srv_proto_is_h1(s) ? h2srv_h1_respond_fed(s, status, nv, nvlen, fd, size)
		: h2srv_h2_respond_fed(s, status, nv, nvlen, fd, size);
}

static inline bool h2srv_proto_write(h2srv_stream_t *s, const char *p, size_t n, bool last)
{
	return h2srv_proto_is_h1(s) ? h2srv_h1_write(s, p, n, last) : h2srv_h2_write(s, p, n, last);
}

static inline void h2srv_proto_want_more(h2srv_stream_t *s)
{
	if (h2srv_proto_is_h1(s)) {
		h2srv_h1_want_more(s);
	} else {
		h2srv_h2_want_more(s);
	}
}

static inline void h2srv_proto_consumed(h2srv_stream_t *s, size_t n)
{
	if (h2srv_proto_is_h1(s)) {
		h2srv_h1_consumed(s, n);
	} else {
		h2srv_h2_consumed(s, n);
	}
}

static inline void h2srv_proto_reset(h2srv_stream_t *s)
{
	if (h2srv_proto_is_h1(s)) {
		h2srv_h1_reset(s);
	} else {
		h2srv_h2_reset(s);
	}
}

#endif

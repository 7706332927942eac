#include "php.h"
#include "h1/session.h"

/*
 * Responses out, in request order. A response's head is written when it is submitted (the
 * PHP side's strings may go right after); its "connection" field and end are added when its
 * turn comes, since whether the connection closes after it is known only then. An emit pass
 * walks the pipeline from its head and gathers each response whole before the next: the head
 * as control bytes, an end() body by reference (no copy), a fed body (stream(), sendFile())
 * copied, chunked when its size is unknown or trailers go with it.
 */

static char file_chunk[H2SRV_H1_FILE_CHUNK]; /* one read of a sendFile() body; the loop is single-threaded */

static const char *reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	}
	/* RFC 9112 §4: the reason phrase is for humans; clients ignore it. */
	return status < 200 ? "Informational" : status < 300 ? "Success" : status < 400 ? "Redirection"
		: status < 500 ? "Client Error" : "Server Error";
}

#define PUT(b, lit) h2srv_buf_append((b), lit, sizeof(lit) - 1)

/* Writes the status line, |nv| and the framing field (chunked, or content-length |clen| >= 0)
 * into the stream's head. */
static void head(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int64_t clen, bool chunked)
{
	h2srv_buf_t *b = &s->head;
	char line[64];
	int n = snprintf(line, sizeof(line), "HTTP/1.1 %03d %s\r\n", status, reason(status));

	b->len = 0;
	h2srv_buf_append(b, line, (size_t)n);
	for (size_t i = 0; i < nvlen; i++) {
		h2srv_buf_append(b, nv[i].name, nv[i].namelen);
		PUT(b, ": ");
		h2srv_buf_append(b, nv[i].value, nv[i].valuelen);
		PUT(b, "\r\n");
	}
	if (chunked) {
		s->flags |= H2SRV_STREAM_H1_CHUNKED;
		PUT(b, "transfer-encoding: chunked\r\n");
	} else if (clen >= 0) {
		n = snprintf(line, sizeof(line), "content-length: %" PRId64 "\r\n", clen);
		h2srv_buf_append(b, line, (size_t)n);
	}
}

/* The response is submitted: counted, and waits for its turn on the pipeline. */
static void submitted(h2srv_stream_t *s, int status)
{
	h2srv_h2_t *sess = s->h2;

	s->flags |= H2SRV_STREAM_ENDED | H2SRV_STREAM_SENDING;
	sess->nsending++;
	sess->stats->responses[status / 100]++;
	s->status = (uint16_t)status;
}

/* RFC 9110 §6.4.1, §8.6: no body for HEAD, 1xx, 204 and 304, and no length for 1xx, 204, 304. */
static bool may_have_body(const h2srv_stream_t *s, int status)
{
	return !(s->flags & H2SRV_STREAM_HEAD) && status >= 200 && status != 204 && status != 304;
}

static bool no_length(int status)
{
	return status < 200 || status == 204 || status == 304;
}

/* Trailers go only in a chunked body, and only to a client that said it takes them. */
static bool trailers_go(const h2srv_stream_t *s)
{
	return s->ntrailers && (s->flags & (H2SRV_STREAM_H1_TRAILERS | H2SRV_STREAM_H10)) == H2SRV_STREAM_H1_TRAILERS;
}

int h2srv_h1_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body)
{
	size_t blen = body ? ZSTR_LEN(body) : 0;
	bool body_ok, chunked;

	if (!s->h2) {
		if (body) {
			zend_string_release(body);
		}
		return -1;
	}
	body_ok = may_have_body(s, status);
	chunked = body_ok && trailers_go(s);
	if (body_ok && (blen || chunked)) {
		s->out_body = body ? body : ZSTR_EMPTY_ALLOC();
		s->out_read = s->out_sent = 0;
	} else if (body) {
		zend_string_release(body);
	}
	head(s, status, nv, nvlen, no_length(status) ? -1 : (int64_t)blen, chunked);
	submitted(s, status);
	return 0;
}

int h2srv_h1_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size)
{
	bool send_body, chunked;

	if (!s->h2) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	send_body = may_have_body(s, status) && (fd < 0 || size > 0);
	if (status == 101 && (s->flags & H2SRV_STREAM_WS)) {
		/* A WebSocket accepted: its frames follow the head, raw, until the connection closes. */
		s->flags |= H2SRV_STREAM_TUNNEL | H2SRV_STREAM_H1_CLOSE;
		send_body = true;
		size = -1;
	}
	h2srv_stream_feed(s, send_body, fd, size);
	chunked = send_body && !(s->flags & (H2SRV_STREAM_H10 | H2SRV_STREAM_TUNNEL)) && (size < 0 || trailers_go(s));
	if (send_body && size < 0 && (s->flags & H2SRV_STREAM_H10)) {
		s->flags |= H2SRV_STREAM_H1_CLOSE; /* HTTP/1.0 knows no chunks: the close ends the body */
	}
	head(s, status, nv, nvlen, no_length(status) || chunked ? -1 : size, chunked);
	submitted(s, status);
	if (send_body && fd < 0) {
		h2srv_h2_stream_hungry(s->h2, s); /* the first bytes */
	}
	return 0;
}

bool h2srv_h1_write(h2srv_stream_t *s, const char *p, size_t n, bool last)
{
	if (!s->h2 || (s->flags & H2SRV_STREAM_OUT_EOF)) {
		return false;
	}
	h2srv_stream_queue(s, p, n, last);
	s->flags &= ~H2SRV_STREAM_DEFERRED;
	return !last && s->out_q.len < H2SRV_FED_HIGH;
}

void h2srv_h1_want_more(h2srv_stream_t *s)
{
	if (s->h2 && (s->flags & H2SRV_STREAM_FED) && s->out_fd < 0) {
		h2srv_h2_stream_hungry(s->h2, s);
	}
}

void h2srv_h1_consumed(h2srv_stream_t *s, size_t n)
{
	/* A connection that stopped reading for this body looks again after the next pass. */
	if (n && s->h2 && s->h2->h1 && s->h2->h1->blocked == s) {
		h2srv_h2_wake(s->h2);
	}
}

void h2srv_h1_refuse(h2srv_stream_t *s, uint16_t status)
{
	s->refusal = status;
	s->flags |= H2SRV_STREAM_REFUSED | H2SRV_STREAM_H1_CLOSE;
	s->flags &= ~H2SRV_STREAM_H1_CONTINUE;
	if (!(s->flags & H2SRV_STREAM_ENDED)) {
		h2srv_h1_respond(s, status, NULL, 0, NULL);
	}
}

void h2srv_h1_reset(h2srv_stream_t *s)
{
	if (!s->h2) {
		return;
	}
	/* HTTP/1.1 cannot reset one response: before its head goes, it becomes a 500; after, the
	 * connection is cut so that the client sees the body end short. */
	if (!(s->flags & H2SRV_STREAM_ENDED)) {
		h2srv_h1_refuse(s, 500);
		return;
	}
	s->flags |= H2SRV_STREAM_H1_BROKEN;
}

/* ---- the emit pass ---------------------------------------------------------------------------- */

static void ctl(h2srv_emit_t *e, const char *p, size_t n)
{
	h2srv_emit_ctl(e, p, n);
}

#define CTL(e, lit) ctl((e), lit, sizeof(lit) - 1)

static void chunk_size(h2srv_emit_t *e, size_t n)
{
	char b[24];
	int l = snprintf(b, sizeof(b), "%zx\r\n", n);

	ctl(e, b, (size_t)l);
}

/* |n| body bytes copied from |p|, as a chunk when the body is chunked. */
static void body_copy(h2srv_h2_t *sess, h2srv_stream_t *s, const char *p, size_t n)
{
	bool chunked = s->flags & H2SRV_STREAM_H1_CHUNKED;

	if (chunked) {
		chunk_size(&sess->emit, n);
	}
	ctl(&sess->emit, p, n);
	if (chunked) {
		CTL(&sess->emit, "\r\n");
	}
	s->out_read += n;
	sess->data_out += n;
}

/* The head's last fields and its end. */
static void head_out(h2srv_h1_t *h1, h2srv_stream_t *s)
{
	h2srv_emit_t *e = &h1->sess->emit;

	s->flags |= H2SRV_STREAM_H1_HEAD_OUT;
	if (h1->goaway && s == h1->pipe_tail && !h1->cur) {
		s->flags |= H2SRV_STREAM_H1_CLOSE;
	}
	ctl(e, s->head.data, s->head.len);
	if (s->flags & H2SRV_STREAM_TUNNEL) {
		CTL(e, "\r\n"); /* its "connection: upgrade" is among the fields */
	} else if (s->flags & H2SRV_STREAM_H1_CLOSE) {
		CTL(e, "connection: close\r\n\r\n");
	} else if (s->flags & H2SRV_STREAM_H10) {
		CTL(e, "connection: keep-alive\r\n\r\n");
	} else {
		CTL(e, "\r\n");
	}
	s->head.len = 0;
}

/* Gathers what it can of the body of |s|; returns whether the body is complete. */
static bool body_out(h2srv_h1_t *h1, h2srv_stream_t *s, size_t room)
{
	h2srv_h2_t *sess = h1->sess;
	h2srv_emit_t *e = &sess->emit;

	if (s->out_body) {
		size_t left = ZSTR_LEN(s->out_body) - s->out_sent;
		size_t n = MIN(left, room > e->gathered ? room - e->gathered : 0);

		if (n) {
			if (s->flags & H2SRV_STREAM_H1_CHUNKED) {
				chunk_size(e, n);
			}
			h2srv_emit_push(e, ZSTR_VAL(s->out_body), s->out_sent, n);
			if (s->flags & H2SRV_STREAM_H1_CHUNKED) {
				CTL(e, "\r\n");
			}
			s->out_sent += n;
			s->out_read = s->out_sent;
			s->emit_pass = e->pass;
			sess->data_out += n;
		}
		if (n < left) {
			return false;
		}
	} else if (s->flags & H2SRV_STREAM_FED) {
		while (s->out_fd >= 0) {
			ssize_t r;

			if (e->gathered >= room) {
				return false;
			}
			r = read(s->out_fd, file_chunk, (size_t)MIN(s->out_left, sizeof(file_chunk)));
			if (r <= 0) {
				h1->dead = true; /* shrunk or unreadable: the client sees the body end short */
				return false;
			}
			body_copy(sess, s, file_chunk, (size_t)r);
			s->out_left -= (uint64_t)r;
			if (s->out_left == 0) {
				close(s->out_fd);
				s->out_fd = -1;
			}
		}
		while (!(s->flags & H2SRV_STREAM_OUT_EOF) || s->out_q.len > s->out_q_off) {
			size_t n = s->out_q.len - s->out_q_off;

			if (n == 0) {
				s->flags |= H2SRV_STREAM_DEFERRED;
				h2srv_h2_stream_hungry(sess, s);
				return false;
			}
			if (e->gathered >= room) {
				return false;
			}
			body_copy(sess, s, s->out_q.data + s->out_q_off, n);
			s->out_q.len = s->out_q_off = 0;
			if (!(s->flags & H2SRV_STREAM_OUT_EOF)) {
				h2srv_h2_stream_hungry(sess, s);
			}
		}
	}
	if (s->flags & H2SRV_STREAM_H1_CHUNKED) {
		CTL(e, "0\r\n");
		if (trailers_go(s)) {
			for (uint32_t i = 0; i + 1 < s->ntrailers; i += 2) {
				ctl(e, ZSTR_VAL(s->trailers[i]), ZSTR_LEN(s->trailers[i]));
				CTL(e, ": ");
				ctl(e, ZSTR_VAL(s->trailers[i + 1]), ZSTR_LEN(s->trailers[i + 1]));
				CTL(e, "\r\n");
			}
		}
		CTL(e, "\r\n");
	}
	return true;
}

/* The response of the pipeline's head is gathered: the stream leaves the pipeline and closes. */
static void finish(h2srv_h1_t *h1, h2srv_stream_t *s)
{
	h1->pipe_head = s->next_pipe;
	if (!h1->pipe_head) {
		h1->pipe_tail = NULL;
	}
	s->next_pipe = NULL;
	h1->npipe--;
	/* Closing after a response sent before its request was read whole: the rest of the body
	 * cannot be told apart from a next request. */
	if ((s->flags & H2SRV_STREAM_H1_CLOSE) || !(s->flags & H2SRV_STREAM_REQ_DONE)) {
		h1->closing = true;
		if (h1->cur == s) {
			h1->cur = NULL;
		}
	}
	h2srv_h2_stream_detach(h1->sess, s);
}

ssize_t h2srv_h1_send(h2srv_h2_t *sess, size_t room, const h2srv_emit_out_t *out)
{
	h2srv_h1_t *h1 = sess->h1;
	h2srv_emit_t *e = &sess->emit;
	h2srv_stream_t *s;
	ssize_t total;
	int rv = 0;

	e->room = room;
	while ((s = h1->pipe_head) && e->gathered < room && !h1->dead) {
		if (!(s->flags & H2SRV_STREAM_ENDED)) {
			if (s->flags & H2SRV_STREAM_H1_CONTINUE) {
				s->flags &= ~H2SRV_STREAM_H1_CONTINUE;
				CTL(e, "HTTP/1.1 100 Continue\r\n\r\n");
			}
			break; /* its handler has not answered yet */
		}
		if (UNEXPECTED(s->flags & H2SRV_STREAM_H1_BROKEN)) {
			if (s->flags & H2SRV_STREAM_H1_HEAD_OUT) {
				h1->dead = true;
				finish(h1, s);
				break;
			}
			CTL(e, "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
			s->flags |= H2SRV_STREAM_H1_CLOSE;
			finish(h1, s);
			break;
		}
		if (!(s->flags & H2SRV_STREAM_H1_HEAD_OUT)) {
			head_out(h1, s);
		}
		if (!body_out(h1, s, room)) {
			break;
		}
		finish(h1, s);
		if (h1->closing && !h1->pipe_head) {
			break;
		}
	}
	total = (ssize_t)e->gathered;
	if (e->nrecords) {
		sess->stats->emit_passes++;
		rv = h2srv_emit_flush(e, out);
		sess->stats->emit_writes += e->writes;
		e->writes = 0;
	}
	return rv == 0 ? total : -1;
}

bool h2srv_h1_alive(const h2srv_h2_t *sess)
{
	const h2srv_h1_t *h1 = sess->h1;

	return !h1->dead && !(h1->closing && !h1->pipe_head);
}

bool h2srv_h1_want_write(const h2srv_h2_t *sess)
{
	const h2srv_stream_t *s = sess->h1->pipe_head;

	return s && ((s->flags & H2SRV_STREAM_H1_CONTINUE)
		|| ((s->flags & H2SRV_STREAM_ENDED) && !(s->flags & H2SRV_STREAM_DEFERRED)));
}

#include "php.h"
#include "h2/session.h"

/*
 * The response side of a session: submitting a response, and the data providers nghttp2 pulls
 * its body through: an end() body by reference (no copy in the gathered emit), a fed body
 * (stream(), sendFile()) by copy, and the trailers after either.
 */

/* The body's end: END_STREAM on the last DATA, or on a trailing HEADERS when there are trailers. */
static void end_body(nghttp2_session *ng, h2srv_stream_t *s, uint32_t *flags)
{
	*flags |= NGHTTP2_DATA_FLAG_EOF;
	if (UNEXPECTED(s->ntrailers)) {
		nghttp2_nv nv[H2SRV_MAX_TRAILERS];
		uint32_t n = MIN(s->ntrailers / 2, sizeof(nv) / sizeof(nv[0]));

		for (uint32_t i = 0; i < n; i++) {
			zend_string *name = s->trailers[2 * i], *value = s->trailers[2 * i + 1];
			nv[i] = (nghttp2_nv){(uint8_t *)ZSTR_VAL(name), (uint8_t *)ZSTR_VAL(value), ZSTR_LEN(name),
				ZSTR_LEN(value), NGHTTP2_NV_FLAG_NONE};
		}
		if (nghttp2_submit_trailer(ng, s->id, nv, n) == 0) {
			*flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
		}
	}
}

static ssize_t read_body(nghttp2_session *ng, int32_t id, uint8_t *buf, size_t length, uint32_t *flags,
	nghttp2_data_source *source, void *ud)
{
	h2srv_stream_t *s = source->ptr;
	size_t n = MIN(ZSTR_LEN(s->out_body) - s->out_read, length);

	(void)id;
	if (((h2srv_h2_t *)ud)->mode == H2SRV_EMIT_GATHER) {
		*flags |= NGHTTP2_DATA_FLAG_NO_COPY;
	} else {
		memcpy(buf, ZSTR_VAL(s->out_body) + s->out_read, n);
	}
	s->out_read += n;
	((h2srv_h2_t *)ud)->data_out += n;
	if (s->out_read == ZSTR_LEN(s->out_body)) {
		end_body(ng, s, flags);
	}
	return (ssize_t)n;
}

void h2srv_h2_stream_hungry(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (!(s->flags & (H2SRV_STREAM_HUNGRY | H2SRV_STREAM_OUT_EOF))) {
		s->flags |= H2SRV_STREAM_HUNGRY;
		s->next_hungry = h2->hungry;
		h2->hungry = s;
	}
}

/* A fed body: copied out of |out_q| (what the owner wrote) or read from |out_fd|. Copies, not
 * slices: these bodies are produced in pieces, and a piece can be reused once taken. */
static ssize_t read_fed(nghttp2_session *ng, int32_t id, uint8_t *buf, size_t length, uint32_t *flags,
	nghttp2_data_source *source, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s = source->ptr;
	size_t n;

	(void)id;
	if (s->out_fd >= 0) {
		ssize_t r = read(s->out_fd, buf, (size_t)MIN((uint64_t)length, s->out_left));
		if (r <= 0) {
			return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE; /* shrunk or unreadable: reset the stream */
		}
		n = (size_t)r;
		s->out_left -= n;
		if (s->out_left == 0) {
			close(s->out_fd);
			s->out_fd = -1;
			end_body(ng, s, flags);
		}
	} else {
		n = MIN(s->out_q.len - s->out_q_off, length);
		if (n == 0 && !(s->flags & H2SRV_STREAM_OUT_EOF)) {
			s->flags |= H2SRV_STREAM_DEFERRED;
			h2srv_h2_stream_hungry(h2, s);
			return NGHTTP2_ERR_DEFERRED;
		}
		if (n) {
			memcpy(buf, s->out_q.data + s->out_q_off, n); /* (an empty end may have no buffer) */
		}
		s->out_q_off += n;
		if (s->out_q_off == s->out_q.len) {
			s->out_q.len = s->out_q_off = 0;
		}
		if (s->flags & H2SRV_STREAM_OUT_EOF) {
			if (s->out_q.len == 0) {
				end_body(ng, s, flags);
			}
		} else if (s->out_q.len - s->out_q_off < H2SRV_FED_LOW) {
			h2srv_h2_stream_hungry(h2, s);
		}
	}
	s->out_read += n;
	h2->data_out += n;
	return (ssize_t)n;
}

#define H2SRV_NV(n, v, vlen) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, (vlen), NGHTTP2_NV_FLAG_NO_COPY_NAME }

/* Submits :status, |nv|, content-length (|clen| >= 0) and a body from |prd| (NULL: none).
 * Returns nghttp2's result. */
static int submit(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int64_t clen,
	nghttp2_data_provider *prd)
{
	h2srv_h2_t *h2 = s->h2;
	nghttp2_nv stack[32], *all = stack;
	char code[4], len[24];
	size_t n = 0;
	int rv;

	if (nvlen + 2 > sizeof(stack) / sizeof(stack[0])) {
		all = emalloc((nvlen + 2) * sizeof(*all));
	}
	code[0] = (char)('0' + status / 100);
	code[1] = (char)('0' + status / 10 % 10);
	code[2] = (char)('0' + status % 10);
	all[n++] = (nghttp2_nv)H2SRV_NV(":status", code, 3);
	if (nvlen) {
		memcpy(all + n, nv, nvlen * sizeof(*nv)); /* |nv| may be NULL when there are none */
		n += nvlen;
	}
	if (clen >= 0) {
		int l = snprintf(len, sizeof(len), "%" PRId64, clen);
		all[n++] = (nghttp2_nv)H2SRV_NV("content-length", len, (size_t)l);
	}
	s->flags |= H2SRV_STREAM_ENDED;
	rv = nghttp2_submit_response(h2->ng, s->id, all, n, prd);
	if (rv == 0) {
		s->flags |= H2SRV_STREAM_SENDING;
		h2->nsending++;
		h2->stats->responses[status / 100]++;
		s->status = (uint16_t)status;
	}
	if (all != stack) {
		efree(all);
	}
	return rv;
}

/* RFC 9110 §6.4.1, §8.6: no body for HEAD, 204 and 304, and no content-length for 204 and 304. */
static bool may_have_body(const h2srv_stream_t *s, int status)
{
	return !(s->flags & H2SRV_STREAM_HEAD) && status != 204 && status != 304;
}

int h2srv_h2_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body)
{
	size_t blen = body ? ZSTR_LEN(body) : 0;
	nghttp2_data_provider prd;
	bool send_body;
	int rv;

	if (!s->h2) {
		if (body) {
			zend_string_release(body);
		}
		return -1;
	}
	send_body = (blen || s->ntrailers) && may_have_body(s, status);
	if (send_body) {
		s->out_body = body ? body : ZSTR_EMPTY_ALLOC();
		s->out_read = s->out_sent = 0;
		prd.source.ptr = s;
		prd.read_callback = read_body;
	} else if (body) {
		zend_string_release(body);
	}
	rv = submit(s, status, nv, nvlen, status == 204 || status == 304 ? -1 : (int64_t)blen, send_body ? &prd : NULL);
	if (rv != 0 && send_body) {
		zend_string_release(s->out_body);
		s->out_body = NULL;
	}
	return rv == 0 ? 0 : -1;
}

int h2srv_h2_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size)
{
	nghttp2_data_provider prd;
	bool send_body;
	int rv;

	if (!s->h2) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	send_body = may_have_body(s, status) && (fd < 0 || size > 0 || s->ntrailers);
	prd.source.ptr = s;
	prd.read_callback = read_fed;
	h2srv_stream_feed(s, send_body, fd, size);
	rv = submit(s, status, nv, nvlen, status == 204 || status == 304 ? -1 : size, send_body ? &prd : NULL);
	if (rv == 0 && send_body && fd < 0) {
		h2srv_h2_stream_hungry(s->h2, s); /* the first bytes */
	}
	return rv == 0 ? 0 : -1;
}

void h2srv_h2_set_trailers(h2srv_stream_t *s, zend_string **pairs, uint32_t n)
{
	s->trailers = pairs;
	s->ntrailers = n;
}

bool h2srv_h2_write(h2srv_stream_t *s, const char *p, size_t n, bool last)
{
	h2srv_h2_t *h2 = s->h2;

	if (!h2 || (s->flags & H2SRV_STREAM_OUT_EOF)) {
		return false;
	}
	h2srv_stream_queue(s, p, n, last);
	if (s->flags & H2SRV_STREAM_DEFERRED) {
		s->flags &= ~H2SRV_STREAM_DEFERRED;
		nghttp2_session_resume_data(h2->ng, s->id);
	}
	return !last && s->out_q.len - s->out_q_off < H2SRV_FED_HIGH;
}

void h2srv_h2_want_more(h2srv_stream_t *s)
{
	if (s->h2 && (s->flags & H2SRV_STREAM_FED) && s->out_fd < 0) {
		h2srv_h2_stream_hungry(s->h2, s);
	}
}

h2srv_stream_t *h2srv_h2_next_hungry(h2srv_h2_t *h2)
{
	h2srv_stream_t *s = h2->hungry;

	if (s) {
		h2->hungry = s->next_hungry;
		s->next_hungry = NULL;
		s->flags &= ~H2SRV_STREAM_HUNGRY;
	}
	return s;
}

void h2srv_h2_reset(h2srv_stream_t *s)
{
	if (s->h2) {
		nghttp2_submit_rst_stream(s->h2->ng, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_INTERNAL_ERROR);
	}
}


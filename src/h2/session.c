#ifdef HAVE_CONFIG_H
#include "config.h" /* the nghttp2 limiters config.m4 found */
#endif
#include "php.h"
#include "php_open_temporary_file.h"
#include "h2/session.h"
#include "log.h"

#define H2SRV_FRAME_HD 9 /* bytes of an HTTP/2 frame header */

static nghttp2_session_callbacks *callbacks;
static nghttp2_option *options;
/* The opaque data of the PING that follows a shutdown notice. */
static const uint8_t goaway_ping[8] = {'h', '2', 's', 'r', 'v', 'b', 'y', 'e'};

static h2srv_stream_t *stream_of(nghttp2_session *ng, int32_t id)
{
	return nghttp2_session_get_stream_user_data(ng, id);
}

/* Takes a token for a glitch (see session.h); returns 0, or a callback failure that ends the
 * session with ENHANCE_YOUR_CALM once the bucket is dry. */
static int glitch(h2srv_h2_t *h2)
{
	h2->stats->glitches++;
	if (h2->budget.glitch_tokens > 0) {
		h2->budget.glitch_tokens--;
		return 0;
	}
	h2->budget.calm = true;
	return NGHTTP2_ERR_CALLBACK_FAILURE;
}

void h2srv_h2_stream_arrived(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (s->flags & H2SRV_STREAM_READING) {
		s->flags &= ~H2SRV_STREAM_READING;
		h2->nreading--;
	}
}

static void unlink_stream(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (s->prev) {
		s->prev->next = s->next;
	} else {
		h2->streams = s->next;
	}
	if (s->next) {
		s->next->prev = s->prev;
	}
	s->prev = s->next = NULL;
}

void h2srv_h2_stream_ready(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	s->refs++;
	s->flags |= H2SRV_STREAM_QUEUED;
	s->prev_ready = h2->ready_tail;
	if (h2->ready_tail) {
		h2->ready_tail->next_ready = s;
	} else {
		h2->ready_head = s;
	}
	h2->ready_tail = s;
}

static void unqueue(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (s->prev_ready) {
		s->prev_ready->next_ready = s->next_ready;
	} else {
		h2->ready_head = s->next_ready;
	}
	if (s->next_ready) {
		s->next_ready->prev_ready = s->prev_ready;
	} else {
		h2->ready_tail = s->prev_ready;
	}
	s->next_ready = s->prev_ready = NULL;
	s->flags &= ~H2SRV_STREAM_QUEUED;
}

void h2srv_h2_stream_detach(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (h2->on_done) {
		h2->on_done(h2->owner, s);
	}
	unlink_stream(h2, s);
	h2srv_h2_stream_arrived(h2, s);
	h2->stats->streams_open--;
	if (s->flags & H2SRV_STREAM_SENDING) {
		s->flags &= ~H2SRV_STREAM_SENDING;
		h2->nsending--;
	}
	s->h2 = NULL;
	if (s->flags & H2SRV_STREAM_HUNGRY) {
		h2srv_stream_t **pp = &h2->hungry;
		while (*pp != s) {
			pp = &(*pp)->next_hungry;
		}
		*pp = s->next_hungry;
		s->flags &= ~H2SRV_STREAM_HUNGRY;
	}
	if (s->out_fd >= 0) {
		close(s->out_fd);
		s->out_fd = -1;
	}
	if (s->trailers) {
		for (uint32_t i = 0; i < s->ntrailers; i++) {
			zend_string_release(s->trailers[i]);
		}
		efree(s->trailers);
		s->trailers = NULL;
		s->ntrailers = 0;
	}
	s->out_q.len = s->out_q_off = 0;
	if (s->out_body) {
		if (s->emit_pass == h2->emit.pass && h2->emit.nrecords) {
			h2srv_emit_keep(&h2->emit, s->out_body);
		} else {
			zend_string_release(s->out_body);
		}
		s->out_body = NULL;
	}
	if (s->side_data) {
		s->refs++;
		s->next_closed = h2->closed;
		h2->closed = s;
	}
	/* A request reset before its handler ran goes back to the pool now, not after the read:
	 * a burst of HEADERS+RST_STREAM then reuses one stream instead of piling them up. */
	if (s->flags & H2SRV_STREAM_QUEUED) {
		unqueue(h2, s);
		h2srv_stream_unref(s);
	}
	h2srv_stream_unref(s);
}

static void refuse(h2srv_stream_t *s, uint16_t status)
{
	glitch(s->h2); /* refused anyway: a dry bucket only matters for the next frame */
	s->refusal = status;
	s->flags |= H2SRV_STREAM_REFUSED;
	if (!(s->flags & H2SRV_STREAM_ENDED)) {
		s->flags |= H2SRV_STREAM_ENDED;
		h2srv_h2_respond(s, status, NULL, 0, NULL);
	}
}

h2srv_stream_t *h2srv_h2_stream_open(h2srv_h2_t *h2, int32_t id)
{
	h2srv_stream_t *s = h2srv_stream_new(h2, id);

	s->flags |= H2SRV_STREAM_READING;
	s->started = h2->now;
	h2->nreading++;
	h2->stats->streams_open++;
	h2->stats->streams_total++;
	s->next = h2->streams;
	if (h2->streams) {
		h2->streams->prev = s;
	}
	h2->streams = s;
	return s;
}

static int on_begin_headers(nghttp2_session *ng, const nghttp2_frame *frame, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s;

	if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
		return 0;
	}
	s = h2srv_h2_stream_open(h2, frame->hd.stream_id);
	nghttp2_session_set_stream_user_data(ng, frame->hd.stream_id, s);
	return 0;
}

static int is_name(const uint8_t *name, size_t len, const char *lit, size_t litlen)
{
	return len == litlen && memcmp(name, lit, litlen) == 0;
}

static int on_header(nghttp2_session *ng, const nghttp2_frame *frame, const uint8_t *name, size_t nlen,
	const uint8_t *value, size_t vlen, uint8_t flags, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s = stream_of(ng, frame->hd.stream_id);
	uint32_t i;

	(void)flags;
	if (!s || s->refusal) {
		return 0;
	}
	s->header_list_size += nlen + vlen + 32;
	if (s->header_list_size > h2->limits->max_header_list) {
		s->refusal = 431; /* answered once the header block is complete */
		return 0;
	}
	i = h2srv_stream_add_field(s, name, nlen, value, vlen);
	if (i == H2SRV_FIELD_NONE) {
		s->refusal = 431;
		return 0;
	}
	if (frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
		/* Trailers (nghttp2 has refused pseudo-headers in them): kept after the headers. */
		if (s->f_trailers == H2SRV_FIELD_NONE) {
			s->f_trailers = i;
		}
		return 0;
	}
	if (name[0] == ':') {
		if (is_name(name, nlen, ZEND_STRL(":method"))) {
			s->f_method = i;
			if (is_name(value, vlen, ZEND_STRL("HEAD"))) {
				s->flags |= H2SRV_STREAM_HEAD;
			} else if (is_name(value, vlen, ZEND_STRL("CONNECT"))) {
				s->flags |= H2SRV_STREAM_CONNECT;
			}
		} else if (is_name(name, nlen, ZEND_STRL(":path"))) {
			s->f_path = i;
		} else if (is_name(name, nlen, ZEND_STRL(":authority"))) {
			s->f_authority = i;
		} else if (is_name(name, nlen, ZEND_STRL(":protocol"))) {
			/* RFC 8441: nghttp2 lets it through only on CONNECT, once we enabled it */
			if (is_name(value, vlen, ZEND_STRL("websocket"))) {
				s->flags |= H2SRV_STREAM_WS;
			} else {
				s->refusal = 501;
			}
		}
	} else if (is_name(name, nlen, ZEND_STRL("content-length"))) {
		/* nghttp2 has checked that it is all digits; refuse early what cannot fit. */
		if (vlen > 19 || ZEND_STRTOUL((const char *)value, NULL, 10) > h2->limits->max_body_size) {
			s->refusal = 413;
		}
	}
	return 0;
}

bool h2srv_h2_wants_early(const h2srv_h2_limits_t *limits, const h2srv_stream_t *s)
{
	const char *path;
	uint32_t plen;

	if (s->flags & H2SRV_STREAM_WS) {
		return true;
	}
	if (!limits->nearly || s->f_path == H2SRV_FIELD_NONE) {
		return false;
	}
	path = h2srv_field_value(s, s->f_path);
	plen = s->fields[s->f_path].value_len;
	for (uint32_t i = 0; i < limits->nearly; i++) {
		zend_string *p = limits->early[i];
		if (ZSTR_LEN(p) <= plen && memcmp(path, ZSTR_VAL(p), ZSTR_LEN(p)) == 0) {
			return true;
		}
	}
	return false;
}

void h2srv_h2_stream_inbound(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	if (!(s->flags & H2SRV_STREAM_INBOUND)) {
		s->flags |= H2SRV_STREAM_INBOUND;
		s->refs++;
		s->next_inbound = h2->inbound;
		h2->inbound = s;
	}
}

void h2srv_h2_consumed(h2srv_stream_t *s, size_t n)
{
	h2srv_h2_t *h2 = s->h2;

	if (h2 && h2->ng && n) {
		nghttp2_session_consume_stream(h2->ng, s->id, n);
		h2srv_h2_wake(h2);
	}
}

int h2srv_h2_spool(h2srv_h2_t *h2, h2srv_stream_t *s)
{
	const char *p = s->body.data;
	size_t left = s->body.len;

	if (s->spool_fd < 0) {
		if (s->spool_path) {
			return -1; /* already ended, or failed before */
		}
		s->spool_fd = php_open_temporary_fd_ex(h2->limits->upload_dir, "h2srv-body-", &s->spool_path,
			PHP_TMP_FILE_SILENT);
		if (s->spool_fd < 0) {
			h2srv_log(H2SRV_LOG_ERROR, "cannot spool a request body into %s: %s; answered 500",
				h2->limits->upload_dir, strerror(errno));
			return -1;
		}
	}
	while (left) {
		ssize_t n = write(s->spool_fd, p, left);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			h2srv_log(H2SRV_LOG_ERROR, "cannot write a request body to %s: %s; answered 500",
				ZSTR_VAL(s->spool_path), n < 0 ? strerror(errno) : "short write");
			close(s->spool_fd);
			s->spool_fd = -1;
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	s->body.len = 0;
	return 0;
}

static int on_data_chunk(nghttp2_session *ng, uint8_t flags, int32_t id, const uint8_t *data, size_t len, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s = stream_of(ng, id);

	(void)flags;
	if (!s || s->refusal) {
		/* Keep the connection window open for the other streams, never this one's. */
		nghttp2_session_consume_connection(ng, len);
		return 0;
	}
	if (s->flags & H2SRV_STREAM_EARLY) {
		/* The stream's window is credited as the PHP side takes these: a client cannot send
		 * more than a window ahead of its handler. */
		nghttp2_session_consume_connection(ng, len);
		s->body_size += len;
		h2srv_buf_append(&s->body, data, len);
		h2srv_h2_stream_inbound(h2, s);
		return 0;
	}
	if (s->body_size + len > h2->limits->max_body_size) {
		nghttp2_session_consume_connection(ng, len);
		refuse(s, 413);
		return 0;
	}
	s->body_size += len;
	h2srv_buf_append(&s->body, data, len);
	/* Past body_buffer_size the body goes to a file, written in chunks: few syscalls. */
	if (UNEXPECTED(s->spool_fd >= 0 ? s->body.len >= H2SRV_SPOOL_CHUNK : s->body.len > h2->limits->body_buffer_size)
		&& h2srv_h2_spool(h2, s) != 0) {
		nghttp2_session_consume_connection(ng, len);
		refuse(s, 500);
		return 0;
	}
	nghttp2_session_consume(ng, id, len);
	return 0;
}

/* The second step of a graceful stop (see h2srv_h2_goaway). */
static void goaway_final(h2srv_h2_t *h2)
{
	h2->goaway_notice_at = 0;
	h2->goaway_final = true;
	nghttp2_submit_goaway(h2->ng, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(h2->ng),
		NGHTTP2_NO_ERROR, NULL, 0);
}

static int on_frame_recv(nghttp2_session *ng, const nghttp2_frame *frame, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s;

	if (frame->hd.type == NGHTTP2_PING) {
		/* Our shutdown notice's PING came back: whatever the peer sent before it is here. */
		if ((frame->hd.flags & NGHTTP2_FLAG_ACK) && h2->goaway_notice_at
			&& memcmp(frame->ping.opaque_data, goaway_ping, sizeof(goaway_ping)) == 0) {
			goaway_final(h2);
		}
		return 0;
	}
	if (frame->hd.type == NGHTTP2_RST_STREAM) {
		h2srv_recent_end(&h2->recent, frame->hd.stream_id);
		return 0;
	}
	if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) {
		return 0;
	}
	if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
		h2srv_recent_end(&h2->recent, frame->hd.stream_id);
	}
	s = stream_of(ng, frame->hd.stream_id);
	if (!s) {
		return 0;
	}
	if (frame->hd.type == NGHTTP2_HEADERS && s->refusal && !(s->flags & H2SRV_STREAM_REFUSED)) {
		refuse(s, s->refusal);
	}
	if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST && !s->refusal) {
		if (UNEXPECTED((s->flags & (H2SRV_STREAM_CONNECT | H2SRV_STREAM_WS)) == H2SRV_STREAM_CONNECT)) {
			refuse(s, 405); /* not a proxy: only the extended CONNECT of a WebSocket */
			return 0;
		}
		if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM) && (h2->limits->nearly || (s->flags & H2SRV_STREAM_WS))
			&& h2srv_h2_wants_early(h2->limits, s)) {
			/* Its handler runs now; the body follows through the inbound list. */
			s->flags |= H2SRV_STREAM_EARLY;
			h2srv_h2_stream_arrived(h2, s);
			h2srv_h2_stream_ready(h2, s);
			return 0;
		}
	}
	if (UNEXPECTED(s->flags & H2SRV_STREAM_EARLY)) {
		if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
			s->flags |= H2SRV_STREAM_REQ_DONE;
			h2srv_h2_stream_inbound(h2, s);
		}
		return 0;
	}
	if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
		s->flags |= H2SRV_STREAM_REQ_DONE;
		h2srv_h2_stream_arrived(h2, s);
		if (UNEXPECTED(s->spool_fd >= 0) && !s->refusal) {
			/* The whole body is in the file before the handler sees it. */
			if (h2srv_h2_spool(h2, s) != 0) {
				refuse(s, 500);
			} else {
				close(s->spool_fd);
				s->spool_fd = -1;
			}
		}
		if (!s->refusal) {
			h2srv_h2_stream_ready(h2, s);
		}
	}
	return 0;
}

/*
 * RFC 9113 §5.1 and §5.1.1 for a HEADERS or DATA frame on stream |id| that nghttp2 may no longer
 * know (see recent.h): returns 0 to let nghttp2 go on, or the error code that ends the connection.
 */
static uint32_t closed_stream_error(h2srv_h2_t *h2, uint8_t type, int32_t id)
{
	h2srv_recent_t *r = &h2->recent;

	if (!(id & 1)) {
		return 0; /* stream 0 and even ids: nghttp2's own errors */
	}
	if (id > r->last_id) {
		if (type == NGHTTP2_HEADERS) {
			h2srv_recent_open(r, id);
		}
		return 0; /* a new stream, or DATA on an idle one (nghttp2's PROTOCOL_ERROR) */
	}
	if (!h2srv_recent_known(r, id)) {
		return 0;
	}
	if (!h2srv_recent_bit(r->opened, id)) {
		/* An id the peer skipped: closed without ever being used. */
		return type == NGHTTP2_HEADERS ? NGHTTP2_PROTOCOL_ERROR : NGHTTP2_STREAM_CLOSED;
	}
	if (h2srv_recent_bit(r->ended, id) && !nghttp2_session_find_stream(h2->ng, id)) {
		return NGHTTP2_STREAM_CLOSED; /* the peer ended it itself, so nothing was in flight */
	}
	return 0; /* open (nghttp2 judges), or closed by our RST_STREAM: ignored */
}

/* Every frame header the peer sends (except frames nghttp2 drops unread): count the glitches. */
static int on_begin_frame(nghttp2_session *ng, const nghttp2_frame_hd *hd, void *ud)
{
	h2srv_h2_t *h2 = ud;

	h2->got_preface = true;
	switch (hd->type) {
	case NGHTTP2_HEADERS: {
		uint32_t code = closed_stream_error(h2, NGHTTP2_HEADERS, hd->stream_id);
		if (code) {
			nghttp2_session_terminate_session(ng, code);
			return NGHTTP2_ERR_CALLBACK_FAILURE;
		}
		return 0;
	}
	case NGHTTP2_WINDOW_UPDATE:
	case NGHTTP2_GOAWAY:
		return 0;
	case NGHTTP2_DATA: /* its stream was judged in h2srv_h2_recv */
		return hd->length == 0 && !(hd->flags & NGHTTP2_FLAG_END_STREAM) ? glitch(h2) : 0;
	case NGHTTP2_CONTINUATION:
		return hd->length == 0 ? glitch(h2) : 0;
	case NGHTTP2_PING:
		return hd->flags & NGHTTP2_FLAG_ACK ? 0 : glitch(h2);
	case NGHTTP2_SETTINGS:
		return (hd->flags & NGHTTP2_FLAG_ACK) || h2->budget.settings_seen++ == 0 ? 0 : glitch(h2);
	case NGHTTP2_RST_STREAM:
		h2->stats->resets_received++;
		return glitch(h2);
	default: /* PRIORITY, PUSH_PROMISE (an error anyway) and unknown types */
		return glitch(h2);
	}
}

/* A frame nghttp2 answered with a stream or connection error: a reset the peer provoked. */
static int on_invalid_frame(nghttp2_session *ng, const nghttp2_frame *frame, int lib_error, void *ud)
{
	(void)ng; (void)frame; (void)lib_error;
	return glitch(ud);
}

/* Unknown frame types are registered as extensions only so that on_begin_frame sees them;
 * their payload is then dropped. */
static int drop_extension(nghttp2_session *ng, void **payload, const nghttp2_frame_hd *hd, void *ud)
{
	(void)ng; (void)payload; (void)hd; (void)ud;
	return NGHTTP2_ERR_CANCEL;
}

static int on_frame_send(nghttp2_session *ng, const nghttp2_frame *frame, void *ud)
{
	h2srv_h2_t *h2 = ud;
	h2srv_stream_t *s;

	switch (frame->hd.type) {
	case NGHTTP2_RST_STREAM:
		h2->stats->resets_sent++;
		return 0;
	case NGHTTP2_GOAWAY:
		if (frame->goaway.last_stream_id == INT32_MAX) {
			return 0; /* a shutdown notice; the final GOAWAY is the one counted */
		}
		if (frame->goaway.error_code == NGHTTP2_NO_ERROR) {
			h2->stats->goaway_graceful++;
		} else if (frame->goaway.error_code == NGHTTP2_ENHANCE_YOUR_CALM) {
			h2->stats->goaway_calm++;
		} else {
			h2->stats->goaway_error++;
		}
		return 0;
	case NGHTTP2_HEADERS:
	case NGHTTP2_DATA:
		break;
	default:
		return 0;
	}
	if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
		return 0;
	}
	s = stream_of(ng, frame->hd.stream_id);
	/* RFC 9113 §8.1: a complete response sent early tells the peer to stop its request body;
	 * a WebSocket's peer still owes its close frame (the sweep resets it if that never comes). */
	if (s && !(s->flags & H2SRV_STREAM_REQ_DONE) && !s->ws) {
		nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, frame->hd.stream_id, NGHTTP2_NO_ERROR);
	}
	return 0;
}

static int on_stream_close(nghttp2_session *ng, int32_t id, uint32_t error_code, void *ud)
{
	h2srv_stream_t *s = stream_of(ng, id);

	(void)error_code;
	if (s) {
		nghttp2_session_set_stream_user_data(ng, id, NULL);
		h2srv_h2_stream_detach(ud, s);
	}
	return 0;
}

static ssize_t send_ctl(nghttp2_session *ng, const uint8_t *data, size_t len, int flags, void *ud)
{
	h2srv_emit_t *e = &((h2srv_h2_t *)ud)->emit;

	(void)ng; (void)flags;
	/* Copied DATA (fed bodies) counts against the pass's room too; nghttp2 keeps the bytes. */
	if (UNEXPECTED(e->gathered && e->gathered + len > e->room)) {
		return NGHTTP2_ERR_WOULDBLOCK;
	}
	h2srv_emit_ctl(e, data, len);
	return (ssize_t)len;
}

static int send_data(nghttp2_session *ng, nghttp2_frame *frame, const uint8_t *framehd, size_t length,
	nghttp2_data_source *source, void *ud)
{
	h2srv_emit_t *e = &((h2srv_h2_t *)ud)->emit;
	h2srv_stream_t *s = source->ptr;

	(void)ng; (void)frame;
	/* Bound what one pass gathers; nghttp2 offers the same frame again on the next pass. */
	if (e->gathered && e->gathered + H2SRV_FRAME_HD + length > e->room) {
		return NGHTTP2_ERR_WOULDBLOCK;
	}
	h2srv_emit_ctl(e, framehd, H2SRV_FRAME_HD);
	if (length) {
		h2srv_emit_push(e, ZSTR_VAL(s->out_body), s->out_sent, length);
		s->out_sent += length;
		s->emit_pass = e->pass;
	}
	return 0;
}

int h2srv_h2_startup(void)
{
	if (nghttp2_session_callbacks_new(&callbacks) || nghttp2_option_new(&options)) {
		return -1;
	}
	h2srv_h2_mem_startup();
	nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
	nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
	nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, on_frame_send);
	nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
	nghttp2_session_callbacks_set_send_callback(callbacks, send_ctl);
	nghttp2_session_callbacks_set_send_data_callback(callbacks, send_data);
	nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks, on_begin_frame);
	nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks, on_invalid_frame);
	nghttp2_session_callbacks_set_unpack_extension_callback(callbacks, drop_extension);

	/* Request bodies are credited as they are stored, so max_body_size bounds the window. */
	nghttp2_option_set_no_auto_window_update(options, 1);
	/* Closed streams are kept only for RFC 7540 priorities, which we do not use. */
	nghttp2_option_set_no_closed_streams(options, 1);
	nghttp2_option_set_max_outbound_ack(options, H2SRV_MAX_OUTBOUND_ACK);
	nghttp2_option_set_max_settings(options, H2SRV_MAX_SETTINGS);
#ifdef HAVE_NGHTTP2_MAX_CONTINUATIONS
	nghttp2_option_set_max_continuations(options, H2SRV_MAX_CONTINUATIONS);
#endif
#ifdef HAVE_NGHTTP2_STREAM_RESET_RATE_LIMIT
	/* Only a backstop: the glitch bucket, which also counts RST_STREAM, fires first. */
	nghttp2_option_set_stream_reset_rate_limit(options, 100 * H2SRV_GLITCH_BUDGET, 100 * H2SRV_GLITCH_RATE);
#endif
	for (unsigned type = 0x0a; type <= 0xff; type++) {
		nghttp2_option_set_user_recv_extension_type(options, (uint8_t)type);
	}
	return 0;
}

void h2srv_h2_shutdown(void)
{
	h2srv_h2_mem_shutdown();
	if (callbacks) {
		nghttp2_session_callbacks_del(callbacks);
		callbacks = NULL;
	}
	if (options) {
		nghttp2_option_del(options);
		options = NULL;
	}
}

int h2srv_h2_open(h2srv_h2_t *h2, const h2srv_h2_limits_t *limits, h2srv_h2_stats_t *stats,
	h2srv_emit_mode_t mode, size_t byte_cap, void *owner)
{
	nghttp2_settings_entry iv[] = {
		{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, limits->max_concurrent_streams},
		{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, H2SRV_STREAM_WINDOW},
		{NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, (uint32_t)limits->max_header_list},
		{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
		{NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 1}, /* RFC 8441: WebSockets */
	};

	memset(h2, 0, sizeof(*h2));
	h2->emit.ctl.persistent = h2->emit.staging.persistent = true; /* a connection's, see buf.h */
	h2->mode = mode;
	h2->limits = limits;
	h2->stats = stats;
	h2->owner = owner;
	h2->emit.byte_cap = byte_cap;
	h2->emit.pass = 1; /* a stream's emit_pass of 0 means "never gathered" */
	h2->recent.left = NGHTTP2_CLIENT_MAGIC_LEN; /* the preface comes before any frame */
	h2->budget.glitch_tokens = limits->glitch_budget;
	h2srv_h2_mem_init(&h2->mem);
	if (nghttp2_session_server_new3(&h2->ng, callbacks, h2, options, &h2->mem.mem)) {
		h2srv_h2_mem_done(&h2->mem);
		return -1;
	}
	h2srv_h2_mem_created(&h2->mem);
	if (nghttp2_submit_settings(h2->ng, NGHTTP2_FLAG_NONE, iv, sizeof(iv) / sizeof(iv[0]))
		|| nghttp2_session_set_local_window_size(h2->ng, NGHTTP2_FLAG_NONE, 0, H2SRV_CONN_WINDOW)) {
		nghttp2_session_del(h2->ng);
		h2srv_h2_mem_done(&h2->mem);
		h2->ng = NULL;
		return -1;
	}
	return 0;
}

static int feed(h2srv_h2_t *h2, const char *p, size_t len)
{
	ssize_t rv = nghttp2_session_mem_recv(h2->ng, (const uint8_t *)p, len);

	if (rv < 0) {
		/* Protocol errors already queued their GOAWAY (the first one wins); the rest get one here. */
		nghttp2_session_terminate_session(h2->ng, h2->budget.calm || rv == NGHTTP2_ERR_FLOODED
			? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
		return -1;
	}
	return 0;
}

int h2srv_h2_recv(h2srv_h2_t *h2, const char *p, size_t len)
{
	h2srv_recent_t *r = &h2->recent;
	size_t fed = 0;

	/* Walk the frame headers; nghttp2 gets the bytes in one call unless a DATA frame comes,
	 * whose stream is judged once nghttp2 has seen every frame before it. */
	for (size_t i = 0; i < len;) {
		const uint8_t *hd;

		if (r->left) {
			size_t n = MIN(r->left, len - i);
			i += n;
			r->left -= (uint32_t)n;
			continue;
		}
		if (EXPECTED(r->hd_len == 0 && len - i >= H2SRV_FRAME_HD)) {
			hd = (const uint8_t *)p + i;
			i += H2SRV_FRAME_HD;
		} else { /* a header split between two reads */
			while (r->hd_len < H2SRV_FRAME_HD && i < len) {
				r->hd[r->hd_len++] = (uint8_t)p[i++];
			}
			if (r->hd_len < H2SRV_FRAME_HD) {
				break;
			}
			hd = r->hd;
			r->hd_len = 0;
		}
		r->left = (uint32_t)hd[0] << 16 | (uint32_t)hd[1] << 8 | hd[2];
		if (hd[3] == NGHTTP2_DATA) {
			/* Where this header began in |p| (an earlier part may have come with the last read). */
			size_t at = i >= H2SRV_FRAME_HD ? i - H2SRV_FRAME_HD : 0;
			int32_t id = (int32_t)((uint32_t)(hd[5] & 0x7f) << 24 | (uint32_t)hd[6] << 16
				| (uint32_t)hd[7] << 8 | hd[8]);
			uint32_t code;

			if (feed(h2, p + fed, at - fed) != 0) {
				return -1;
			}
			fed = at;
			if ((code = closed_stream_error(h2, NGHTTP2_DATA, id)) != 0) {
				nghttp2_session_terminate_session(h2->ng, code);
				return -1;
			}
		}
	}
	return feed(h2, p + fed, len - fed);
}

h2srv_stream_t *h2srv_h2_next_ready(h2srv_h2_t *h2)
{
	h2srv_stream_t *s = h2->ready_head;

	if (s) {
		unqueue(h2, s);
	}
	return s;
}

ssize_t h2srv_h2_send(h2srv_h2_t *h2, size_t room, const h2srv_emit_out_t *out)
{
	ssize_t total = 0;

	h2srv_h2_mem_touch(&h2->mem);

	if (h2->mode == H2SRV_EMIT_GATHER) {
		int rv;

		h2->emit.room = room;
		rv = nghttp2_session_send(h2->ng);
		total = (ssize_t)h2->emit.gathered;
		if (h2->emit.nrecords) {
			h2->stats->emit_passes++;
			rv |= h2srv_emit_flush(&h2->emit, out);
			h2->stats->emit_writes += h2->emit.writes;
			h2->emit.writes = 0;
		}
		return rv == 0 ? total : -1;
	}
	while ((size_t)total < room) {
		const uint8_t *p;
		ssize_t n = nghttp2_session_mem_send(h2->ng, &p);

		if (n < 0 || (n > 0 && out->write(out->ctx, (const char *)p, (size_t)n) != 0)) {
			return -1;
		}
		if (n == 0) {
			break;
		}
		h2->stats->emit_writes++;
		total += n;
	}
	if (total) {
		h2->stats->emit_passes++;
	}
	return total;
}

void h2srv_h2_goaway(h2srv_h2_t *h2)
{
	if (h2->goaway_notice_at || h2->goaway_final) {
		return;
	}
	nghttp2_submit_shutdown_notice(h2->ng);
	nghttp2_submit_ping(h2->ng, NGHTTP2_FLAG_NONE, goaway_ping);
	h2->goaway_notice_at = MAX(h2->now, 1);
}

void h2srv_h2_goaway_sweep(h2srv_h2_t *h2)
{
	if (h2->goaway_notice_at && h2->now - h2->goaway_notice_at >= H2SRV_GOAWAY_ACK_WAIT_MS) {
		goaway_final(h2);
	}
}

void h2srv_h2_terminate(h2srv_h2_t *h2)
{
	nghttp2_session_terminate_session(h2->ng, NGHTTP2_NO_ERROR);
}

uint32_t h2srv_h2_cancel_incomplete(h2srv_h2_t *h2)
{
	uint32_t n = 0;

	for (h2srv_stream_t *s = h2->streams; s; s = s->next) {
		if ((s->flags & (H2SRV_STREAM_READING | H2SRV_STREAM_CANCELED)) == H2SRV_STREAM_READING) {
			s->flags |= H2SRV_STREAM_CANCELED;
			nghttp2_submit_rst_stream(h2->ng, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_CANCEL);
			n++;
		}
	}
	return n;
}

void h2srv_h2_close(h2srv_h2_t *h2)
{
	h2srv_stream_t *s;

	while ((s = h2srv_h2_next_ready(h2))) {
		h2srv_stream_unref(s);
	}
	while ((s = h2srv_h2_next_inbound(h2))) {
		h2srv_stream_unref(s);
	}
	while (h2->streams) {
		h2srv_h2_stream_detach(h2, h2->streams);
	}
	if (h2->ng) {
		nghttp2_session_del(h2->ng);
		h2srv_h2_mem_done(&h2->mem);
		h2->ng = NULL;
	}
	h2srv_emit_free(&h2->emit);
}

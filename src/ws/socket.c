#include "php.h"
#include "ws/socket.h"
#include "proto.h"

static h2srv_buf_t scratch; /* a message inflated, or one deflated; the loop is single-threaded */

/* Sends one frame: its header as one write and its payload as another (both copied into the
 * stream's fed body). |last| ends the stream's body after it. */
static bool put_frame(h2srv_stream_t *s, uint8_t op, const char *p, size_t len, bool last)
{
	uint8_t hdr[H2SRV_WS_HEADER_MAX];
	size_t hl = h2srv_ws_header(hdr, op, len);
	bool more = h2srv_proto_write(s, (const char *)hdr, hl, last && len == 0);

	if (len) {
		more = h2srv_proto_write(s, p, len, last);
	}
	if (s->h2) {
		h2srv_h2_wake(s->h2);
	}
	return more;
}

static void tell_close(h2srv_ws_t *ws, uint16_t code, const char *reason, size_t len)
{
	h2srv_ws_in_t in = {(uint32_t)(2 + len), H2SRV_WS_IN_CLOSE};
	uint8_t c[2] = {(uint8_t)(code >> 8), (uint8_t)code};

	if (ws->told) {
		return;
	}
	ws->told = true;
	h2srv_buf_append(&ws->inbox, &in, sizeof(in));
	h2srv_buf_append(&ws->inbox, c, 2);
	h2srv_buf_append(&ws->inbox, reason, len);
}

static void send_close(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len)
{
	h2srv_ws_t *ws = s->ws;
	char payload[H2SRV_WS_MAX_CONTROL];

	if (ws->close_sent || !s->h2) {
		return;
	}
	ws->close_sent = true;
	ws->closed_at = s->h2->now;
	/* The body (and with HTTP/1.1 the connection) ends once both closes are said: ours now
	 * if the peer's came, else when it comes (or the sweep gives up on it). */
	if (code == H2SRV_WS_NO_STATUS) {
		put_frame(s, H2SRV_WS_OP_CLOSE, NULL, 0, ws->close_heard);
		return;
	}
	len = MIN(len, sizeof(payload) - 2);
	payload[0] = (char)(code >> 8);
	payload[1] = (char)code;
	if (len) {
		memcpy(payload + 2, reason, len);
	}
	put_frame(s, H2SRV_WS_OP_CLOSE, payload, 2 + len, ws->close_heard);
}

/* Both closes are said: the body ends after ours. */
static void end_body(h2srv_stream_t *s)
{
	if (s->h2 && !(s->flags & H2SRV_STREAM_OUT_EOF)) {
		h2srv_proto_write(s, "", 0, true);
		h2srv_h2_wake(s->h2);
	}
}

/* The peer broke the protocol: our close with |code| is the last word, nothing more is read. */
static void fail(h2srv_stream_t *s, h2srv_ws_t *ws, uint16_t code, const char *why)
{
	ws->stats->errors++;
	ws->close_heard = true;
	if (ws->close_sent) {
		end_body(s);
	}
	send_close(s, code, why, strlen(why));
	tell_close(ws, code, why, strlen(why));
}

/* A compressed message inflated into |scratch|; returns NULL, or why it cannot be taken. */
static const char *inflate_message(h2srv_ws_t *ws)
{
	int rc = h2srv_ws_inflate(ws->deflate, ws->rd.msg.data, ws->rd.msg.len, &scratch, ws->rd.max_message);

	if (rc == -2) {
		return "message too big";
	}
	if (rc != 0) {
		return "corrupt compressed message";
	}
	if (ws->rd.done_op == H2SRV_WS_OP_TEXT && !h2srv_ws_utf8(scratch.data, scratch.len)) {
		return "text message is not UTF-8";
	}
	return NULL;
}

void h2srv_ws_open(h2srv_stream_t *s, uint64_t max_message, h2srv_ws_stats_t *stats, uint64_t now,
	const h2srv_ws_deflate_t *deflate)
{
	h2srv_ws_t *ws = ecalloc(1, sizeof(*ws));

	ws->rd.max_message = max_message;
	ws->stats = stats;
	if (deflate) {
		ws->deflate = emalloc(sizeof(*ws->deflate));
		*ws->deflate = *deflate;
		ws->rd.deflate_ok = true;
	}
	ws->last_in = now;
	s->ws = ws;
	/* A socket may live for hours: its request's header bytes keep only their own size. */
	if (s->hbytes.cap > s->hbytes.len && s->hbytes.len) {
		s->hbytes.data = perealloc(s->hbytes.data, s->hbytes.len, s->hbytes.persistent);
		s->hbytes.cap = s->hbytes.len;
	}
	stats->open++;
	stats->total++;
}

/* Credits what the reader took, unless it ended the socket (nothing more is read then). */
static void credit(h2srv_stream_t *s, size_t n)
{
	h2srv_buf_consume(&s->body, n);
	if (s->h2) {
		h2srv_proto_consumed(s, n);
	}
}

void h2srv_ws_recv(h2srv_stream_t *s, uint64_t now)
{
	h2srv_ws_t *ws = s->ws;
	size_t at = 0;

	if (s->body.len) {
		ws->last_in = now;
		ws->ping_at = 0; /* any bytes show the peer is there */
	}
	while (at < s->body.len && !ws->told && ws->inbox.len - ws->inbox_off < H2SRV_WS_INBOX_HIGH
		&& s->out_q.len - s->out_q_off < H2SRV_WS_OUT_HIGH) {
		size_t used;
		h2srv_ws_event_t ev = h2srv_ws_read(&ws->rd, (const uint8_t *)s->body.data + at, s->body.len - at, &used);

		at += used;
		switch (ev) {
		case H2SRV_WS_NEED_MORE:
			break;
		case H2SRV_WS_MESSAGE: {
			const h2srv_buf_t *m = &ws->rd.msg;
			h2srv_ws_in_t in;
			if (ws->rd.compressed) {
				const char *why = inflate_message(ws);
				if (why) {
					fail(s, ws, strcmp(why, "message too big") == 0 ? H2SRV_WS_TOO_BIG : H2SRV_WS_INVALID_DATA, why);
					break;
				}
				m = &scratch;
			}
			in = (h2srv_ws_in_t){(uint32_t)m->len, ws->rd.done_op == H2SRV_WS_OP_TEXT ? H2SRV_WS_IN_TEXT : H2SRV_WS_IN_BINARY};
			h2srv_buf_append(&ws->inbox, &in, sizeof(in));
			if (m->len) {
				h2srv_buf_append(&ws->inbox, m->data, m->len);
			}
			ws->stats->messages_in++;
			ws->stats->bytes_in += m->len;
			ws->rd.msg.len = 0;
			if (ws->rd.msg.cap > H2SRV_WS_KEEP_CAP) {
				h2srv_buf_free(&ws->rd.msg); /* a big message's room goes with it */
			}
			break;
		}
		case H2SRV_WS_PING:
			if (!ws->close_sent) {
				put_frame(s, H2SRV_WS_OP_PONG, (const char *)ws->rd.ctl, ws->rd.ctl_len, false);
			}
			break;
		case H2SRV_WS_PONG:
			break;
		case H2SRV_WS_CLOSE:
			/* §5.5.1: echo the code, then the body ends; the peer then ends its side. */
			ws->close_heard = true;
			if (ws->close_sent) {
				end_body(s); /* the answer to ours */
			}
			send_close(s, ws->rd.close_code, NULL, 0);
			tell_close(ws, ws->rd.close_code, (const char *)ws->rd.ctl + 2,
				ws->rd.close_code == H2SRV_WS_NO_STATUS ? 0 : ws->rd.ctl_len - 2);
			break;
		case H2SRV_WS_ERROR:
			fail(s, ws, ws->rd.close_code, ws->rd.why);
			break;
		}
		if (ev == H2SRV_WS_NEED_MORE) {
			break;
		}
	}
	if (ws->told) {
		at = s->body.len; /* nothing after a close is read */
	}
	if (at) {
		credit(s, at);
	}
	if ((s->flags & H2SRV_STREAM_REQ_DONE) && !ws->told) {
		/* The peer ended its side without a close frame (§7.1.5: 1006). */
		ws->close_heard = true;
		if (ws->close_sent) {
			end_body(s);
		}
		send_close(s, H2SRV_WS_NO_STATUS, NULL, 0);
		tell_close(ws, H2SRV_WS_ABNORMAL, "", 0);
	}
}

bool h2srv_ws_send(h2srv_stream_t *s, bool binary, const char *p, size_t len)
{
	h2srv_ws_t *ws = s->ws;

	if (ws->close_sent || !s->h2) {
		return false;
	}
	ws->stats->messages_out++;
	ws->stats->bytes_out += len;
	if (ws->deflate && len >= H2SRV_WS_DEFLATE_MIN && h2srv_ws_deflate(ws->deflate, p, len, &scratch) == 0
		&& scratch.len < len) {
		/* RSV1 on the frame: this message is compressed */
		return put_frame(s, (binary ? H2SRV_WS_OP_BINARY : H2SRV_WS_OP_TEXT) | 0x40, scratch.data, scratch.len, false);
	}
	return put_frame(s, binary ? H2SRV_WS_OP_BINARY : H2SRV_WS_OP_TEXT, p, len, false);
}

void h2srv_ws_close(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len)
{
	send_close(s, code, reason, len);
}

const char *h2srv_ws_peek(h2srv_stream_t *s, h2srv_ws_in_t *in)
{
	h2srv_ws_t *ws = s->ws;
	size_t held = ws->inbox.len - ws->inbox_off;

	if (held < sizeof(*in)) {
		return NULL;
	}
	/* Copied out: entries follow each other with no padding, so a header after a payload of
	 * odd length lies unaligned. */
	memcpy(in, ws->inbox.data + ws->inbox_off, sizeof(*in));
	/* Only a whole entry: a worker's copy of the socket (request dispatch) gets a long message
	 * in parts, and the last one may still be on its way. */
	return held - sizeof(*in) >= in->len ? ws->inbox.data + ws->inbox_off + sizeof(*in) : NULL;
}

void h2srv_ws_taken(h2srv_stream_t *s)
{
	h2srv_ws_t *ws = s->ws;
	h2srv_ws_in_t in;
	bool was_full = ws->inbox.len - ws->inbox_off >= H2SRV_WS_INBOX_HIGH;

	memcpy(&in, ws->inbox.data + ws->inbox_off, sizeof(in));
	ws->inbox_off += sizeof(in) + in.len;
	if (ws->inbox_off == ws->inbox.len) {
		ws->inbox.len = ws->inbox_off = 0;
		if (ws->inbox.cap > H2SRV_WS_KEEP_CAP) {
			h2srv_buf_free(&ws->inbox);
		}
	}
	/* Reading stopped at the high-water mark: what the peer sent meanwhile is read now. */
	if (was_full && s->h2 && s->body.len) {
		h2srv_ws_recv(s, s->h2->now);
	}
}

/* A quiet socket gives back the buffers a busy one keeps for its next message. */
static void trim(h2srv_stream_t *s)
{
	h2srv_ws_t *ws = s->ws;

	if (ws->rd.msg.len == 0 && !ws->rd.msg_op) {
		h2srv_buf_free(&ws->rd.msg);
	}
	if (ws->inbox.len == 0) {
		h2srv_buf_free(&ws->inbox);
	}
	if (s->body.len == 0) {
		h2srv_buf_free(&s->body);
	}
	if (s->out_q.len == 0) {
		h2srv_buf_free(&s->out_q);
		s->out_q_off = 0;
	}
}

void h2srv_ws_sweep(h2srv_stream_t *s, uint64_t now, uint64_t idle)
{
	h2srv_ws_t *ws = s->ws;

	if (now - ws->last_in >= H2SRV_WS_TRIM_MS) {
		trim(s);
	}
	if (ws->close_sent) {
		if (now - ws->closed_at >= H2SRV_WS_CLOSE_WAIT_MS) {
			h2srv_proto_reset(s);
		}
		return;
	}
	if (!idle) {
		return;
	}
	if (ws->ping_at) {
		if (now - ws->ping_at >= idle) {
			tell_close(ws, H2SRV_WS_ABNORMAL, "", 0);
			h2srv_proto_reset(s); /* the peer is gone without a word */
		}
		return;
	}
	if (now - ws->last_in >= idle) {
		ws->ping_at = now;
		put_frame(s, H2SRV_WS_OP_PING, "h2srv", 5, false);
	}
}

void h2srv_ws_gone(h2srv_stream_t *s)
{
	h2srv_ws_t *ws = s->ws;

	if (ws && !ws->told) {
		tell_close(ws, H2SRV_WS_ABNORMAL, "", 0);
	}
	if (ws && ws->stats) {
		ws->stats->open--;
		ws->stats = NULL;
	}
}

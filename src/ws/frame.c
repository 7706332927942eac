#include "php.h"
#include "ws/frame.h"

/* UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF) that can stop
 * in the middle of a character and go on with the next fragment. The state packs how many
 * continuation bytes are owed and the range the next one must fall in. */
#define U8_STATE(need, lo, hi) ((uint32_t)(need) | (uint32_t)(lo) << 8 | (uint32_t)(hi) << 16)

static bool utf8_step(uint32_t *state, const uint8_t *p, size_t len)
{
	uint32_t need = *state & 3;
	uint8_t lo = (uint8_t)(*state >> 8), hi = (uint8_t)(*state >> 16);
	size_t i = 0;

	while (i < len) {
		uint8_t c = p[i];

		if (need == 0) {
			/* ASCII runs, eight bytes at a time */
			if (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				if (!(w & 0x8080808080808080ULL)) {
					i += 8;
					continue;
				}
			}
			i++;
			if (c < 0x80) {
				continue;
			}
			if (c >= 0xC2 && c <= 0xDF) {
				need = 1, lo = 0x80, hi = 0xBF;
			} else if (c == 0xE0) {
				need = 2, lo = 0xA0, hi = 0xBF;
			} else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
				need = 2, lo = 0x80, hi = 0xBF;
			} else if (c == 0xED) {
				need = 2, lo = 0x80, hi = 0x9F; /* no surrogates */
			} else if (c == 0xF0) {
				need = 3, lo = 0x90, hi = 0xBF;
			} else if (c >= 0xF1 && c <= 0xF3) {
				need = 3, lo = 0x80, hi = 0xBF;
			} else if (c == 0xF4) {
				need = 3, lo = 0x80, hi = 0x8F;
			} else {
				return false;
			}
			continue;
		}
		if (c < lo || c > hi) {
			return false;
		}
		i++;
		need--;
		lo = 0x80, hi = 0xBF;
	}
	*state = U8_STATE(need, lo, hi);
	return true;
}

bool h2srv_ws_utf8(const char *p, size_t len)
{
	uint32_t st = 0;

	return utf8_step(&st, (const uint8_t *)p, len) && (st & 3) == 0;
}

bool h2srv_ws_code_ok(uint16_t code)
{
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

static h2srv_ws_event_t fail(h2srv_ws_reader_t *r, uint16_t code, const char *why)
{
	r->close_code = code;
	r->why = why;
	return H2SRV_WS_ERROR;
}

static bool is_control(uint8_t op)
{
	return op & 0x8;
}

/* The first two header bytes are in: what the RFC forbids there is refused before the rest. */
static h2srv_ws_event_t check_start(h2srv_ws_reader_t *r)
{
	uint8_t b0 = r->hdr[0], b1 = r->hdr[1];
	uint8_t op = b0 & 0x0F;

	/* RSV1 marks the first frame of a compressed message, once permessage-deflate is agreed */
	if ((b0 & 0x70) && !((b0 & 0x70) == 0x40 && r->deflate_ok && (op == H2SRV_WS_OP_TEXT || op == H2SRV_WS_OP_BINARY))) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "reserved bits set");
	}
	if (!(b1 & 0x80)) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "unmasked client frame"); /* §5.1 */
	}
	if ((op >= 3 && op <= 7) || op >= 0xB) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "reserved opcode");
	}
	if (is_control(op) && (!(b0 & 0x80) || (b1 & 0x7F) > H2SRV_WS_MAX_CONTROL)) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "fragmented or oversized control frame"); /* §5.5 */
	}
	if (op == H2SRV_WS_OP_CONT && !r->msg_op) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "continuation without a message");
	}
	if ((op == H2SRV_WS_OP_TEXT || op == H2SRV_WS_OP_BINARY) && r->msg_op) {
		return fail(r, H2SRV_WS_PROTOCOL_ERROR, "new message inside a fragmented one");
	}
	return H2SRV_WS_NEED_MORE;
}

static size_t header_len(const h2srv_ws_reader_t *r)
{
	uint8_t l7 = r->hdr[1] & 0x7F;

	return 2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) + 4;
}

/* The whole header is in: the frame's length and mask, checked against the message limit. */
static h2srv_ws_event_t begin_payload(h2srv_ws_reader_t *r)
{
	uint8_t l7 = r->hdr[1] & 0x7F, at = 2;
	uint64_t len = l7;

	if (l7 == 126) {
		len = (uint64_t)r->hdr[2] << 8 | r->hdr[3];
		at = 4;
	} else if (l7 == 127) {
		len = 0;
		for (int i = 0; i < 8; i++) {
			len = len << 8 | r->hdr[2 + i];
		}
		at = 10;
		if (len >> 63) {
			return fail(r, H2SRV_WS_PROTOCOL_ERROR, "frame length with its top bit set");
		}
	}
	memcpy(r->mask, r->hdr + at, 4);
	r->op = r->hdr[0] & 0x0F;
	r->fin = r->hdr[0] & 0x80;
	r->left = len;
	r->moff = 0;
	r->in_payload = true;
	r->hlen = 0;
	if (is_control(r->op)) {
		r->ctl_len = 0;
		return H2SRV_WS_NEED_MORE;
	}
	if (r->op != H2SRV_WS_OP_CONT) {
		r->msg_op = r->op;
		r->utf8 = 0;
		r->msg.len = 0;
		r->compressed = r->hdr[0] & 0x40;
	}
	if (len > r->max_message || r->msg.len + len > r->max_message) {
		return fail(r, H2SRV_WS_TOO_BIG, "message too big");
	}
	h2srv_buf_reserve(&r->msg, (size_t)len);
	return H2SRV_WS_NEED_MORE;
}

/* A frame's payload is all in: what it means. */
static h2srv_ws_event_t end_frame(h2srv_ws_reader_t *r)
{
	r->in_payload = false;
	switch (r->op) {
	case H2SRV_WS_OP_PING:
		return H2SRV_WS_PING;
	case H2SRV_WS_OP_PONG:
		return H2SRV_WS_PONG;
	case H2SRV_WS_OP_CLOSE:
		if (r->ctl_len == 1) {
			return fail(r, H2SRV_WS_PROTOCOL_ERROR, "close frame of one byte");
		}
		if (r->ctl_len == 0) {
			r->close_code = H2SRV_WS_NO_STATUS;
			return H2SRV_WS_CLOSE;
		}
		r->close_code = (uint16_t)(r->ctl[0] << 8 | r->ctl[1]);
		if (!h2srv_ws_code_ok(r->close_code)) {
			return fail(r, H2SRV_WS_PROTOCOL_ERROR, "invalid close code");
		}
		if (!h2srv_ws_utf8((const char *)r->ctl + 2, r->ctl_len - 2)) {
			return fail(r, H2SRV_WS_INVALID_DATA, "close reason is not UTF-8");
		}
		return H2SRV_WS_CLOSE;
	}
	if (!r->fin) {
		return H2SRV_WS_NEED_MORE;
	}
	if (r->msg_op == H2SRV_WS_OP_TEXT && !r->compressed && (r->utf8 & 3) != 0) {
		return fail(r, H2SRV_WS_INVALID_DATA, "text message is not UTF-8");
	}
	r->done_op = r->msg_op;
	r->msg_op = 0;
	return H2SRV_WS_MESSAGE;
}

h2srv_ws_event_t h2srv_ws_read(h2srv_ws_reader_t *r, const uint8_t *p, size_t len, size_t *used)
{
	size_t i = 0;
	h2srv_ws_event_t ev;

	for (;;) {
		if (!r->in_payload) {
			if (i == len) {
				break;
			}
			r->hdr[r->hlen++] = p[i++];
			if (r->hlen == 2 && (ev = check_start(r)) != H2SRV_WS_NEED_MORE) {
				*used = i;
				return ev;
			}
			if (r->hlen < 2 || r->hlen < header_len(r)) {
				continue;
			}
			if ((ev = begin_payload(r)) != H2SRV_WS_NEED_MORE) {
				*used = i;
				return ev;
			}
		}
		if (r->left) {
			size_t n = (size_t)(r->left < len - i ? r->left : len - i);
			uint8_t *dst;

			if (n == 0) {
				break;
			}
			if (is_control(r->op)) {
				dst = r->ctl + r->ctl_len;
				r->ctl_len += (uint8_t)n;
			} else {
				dst = (uint8_t *)r->msg.data + r->msg.len;
				r->msg.len += n;
			}
			for (size_t k = 0; k < n; k++) {
				dst[k] = p[i + k] ^ r->mask[(r->moff + k) & 3];
			}
			r->moff = (uint32_t)((r->moff + n) & 3);
			i += n;
			r->left -= n;
			/* Text is checked as it arrives, so a bad byte ends the socket at once (§8.1). */
			if (!is_control(r->op) && r->msg_op == H2SRV_WS_OP_TEXT && !r->compressed && !utf8_step(&r->utf8, dst, n)) {
				*used = i;
				r->in_payload = false;
				return fail(r, H2SRV_WS_INVALID_DATA, "text message is not UTF-8");
			}
			if (r->left) {
				break;
			}
		}
		if ((ev = end_frame(r)) != H2SRV_WS_NEED_MORE) {
			*used = i;
			return ev;
		}
	}
	*used = i;
	return H2SRV_WS_NEED_MORE;
}

size_t h2srv_ws_header(uint8_t out[H2SRV_WS_HEADER_MAX], uint8_t op, uint64_t len)
{
	out[0] = (uint8_t)(0x80 | op);
	if (len < 126) {
		out[1] = (uint8_t)len;
		return 2;
	}
	if (len <= 0xFFFF) {
		out[1] = 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		return 4;
	}
	out[1] = 127;
	for (int i = 0; i < 8; i++) {
		out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
	}
	return 10;
}

void h2srv_ws_free(h2srv_ws_t *ws)
{
	if (ws->deflate) {
		h2srv_ws_deflate_free(ws->deflate);
		efree(ws->deflate);
	}
	h2srv_buf_free(&ws->rd.msg);
	h2srv_buf_free(&ws->inbox);
	efree(ws);
}

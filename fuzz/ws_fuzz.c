/*
 * libFuzzer target for the WebSocket frame reader (ws/frame.c): a client's bytes, cut into
 * pieces by the first input byte, read frame by frame as a socket would, with a small message
 * limit from the second (and, by a bit of the first, permessage-deflate's RSV1 allowed). Every
 * event must make sense: a message is within the limit, an uncompressed text message is UTF-8
 * by a slow reference decoder written here, a close code is one the RFC allows; an error stops
 * the reading as a socket does.
 */
#include <sapi/embed/php_embed.h>
#include "ws/frame.h"

/* RFC 3629 the slow way: decode each scalar value and check its range. */
static bool reference_utf8(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c = p[i], need, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (i + need >= n) {
			return false; /* cut short */
		}
		for (uint32_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80) {
				return false;
			}
			c = c << 6 | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
			return false;
		}
		i += need + 1;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	h2srv_ws_reader_t r;
	size_t at = 2, chunk;

	if (!ready) {
		php_embed_module.php_ini_ignore = 1; /* no php.ini: emalloc is all it needs */
		php_embed_init(0, NULL);
		ready = true;
	}
	if (size < 2) {
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.max_message = (size_t)data[1] * 64 + 1;
	r.deflate_ok = data[0] & 0x10; /* RSV1 allowed: compressed messages are not checked as text here */
	chunk = (data[0] & 0x0F) + 1;
	while (at < size) {
		size_t n = MIN(chunk, size - at), used;
		const uint8_t *p = data + at;
		bool stop = false;

		while (n) {
			h2srv_ws_event_t ev = h2srv_ws_read(&r, p, n, &used);
			if (used > n) {
				__builtin_trap();
			}
			p += used;
			n -= used;
			if (ev == H2SRV_WS_MESSAGE) {
				if (r.msg.len > r.max_message || (r.done_op == H2SRV_WS_OP_TEXT && !r.compressed
					&& !reference_utf8((const uint8_t *)r.msg.data, r.msg.len))) {
					__builtin_trap();
				}
				r.msg.len = 0;
			} else if (ev == H2SRV_WS_CLOSE) {
				if (r.close_code != H2SRV_WS_NO_STATUS && !h2srv_ws_code_ok(r.close_code)) {
					__builtin_trap();
				}
				stop = true; /* nothing after a close is read */
				break;
			} else if (ev == H2SRV_WS_ERROR) {
				stop = true;
				break;
			} else if (ev == H2SRV_WS_PING || ev == H2SRV_WS_PONG) {
				if (r.ctl_len > H2SRV_WS_MAX_CONTROL) {
					__builtin_trap();
				}
			} else if (used == 0) {
				break;
			}
		}
		if (stop) {
			break;
		}
		at += MIN(chunk, size - at);
	}
	h2srv_buf_free(&r.msg);
	return 0;
}

/*
 * libFuzzer target for the HTTP/1.x side of a connection, after TLS: the bytes a client sends go
 * through llhttp and our callbacks (request assembly, the refusals llhttp leaves to us, limits,
 * the pipeline and its pause), every complete request is answered in turn, and the emit runs
 * after each chunk into a sink that checks nothing but length. The first input byte picks the
 * chunking, the answer (an end() body of a size from the input, a stream() body written in
 * pieces, a sendFile() of /dev/zero, trailers, 204) and the emit's room; bodies past 16 KiB
 * are spooled to /tmp.
 */
#include <fcntl.h>
#include <sapi/embed/php_embed.h>
#include "h1/session.h"
#include "sink.h"

static void answer(h2srv_h2_t *sess, uint8_t knob)
{
	h2srv_stream_t *s;
	nghttp2_nv nv = { (uint8_t *)"x-f", (uint8_t *)"1", 3, 1, NGHTTP2_NV_FLAG_NONE };

	while ((s = h2srv_h2_next_ready(sess))) {
		if (s->h2 && !(s->flags & H2SRV_STREAM_ENDED)) {
			if (knob & 0x08) {
				zend_string **t = emalloc(2 * sizeof(*t));
				t[0] = zend_string_init("x-t", 3, 0);
				t[1] = zend_string_init("v", 1, 0);
				h2srv_h2_set_trailers(s, t, 2);
			}
			switch (knob & 0x30) {
			case 0x00: {
				size_t len = (size_t)(knob & 0x07) * 9000 + s->nfields;
				zend_string *body = zend_string_alloc(len, 0);
				memset(ZSTR_VAL(body), 'b', len);
				ZSTR_VAL(body)[len] = '\0';
				h2srv_h1_respond(s, 200, &nv, 1, body);
				break;
			}
			case 0x10:
				h2srv_h1_respond_fed(s, 200, NULL, 0, -1, -1);
				break;
			case 0x20:
				h2srv_h1_respond_fed(s, 200, NULL, 0, open("/dev/zero", O_RDONLY), (knob & 0x07) * 20000);
				break;
			default:
				h2srv_h1_respond(s, 204, &nv, 1, NULL);
			}
		}
		h2srv_stream_unref(s);
	}
	/* stream() bodies: a few pieces, then the end. */
	while ((s = h2srv_h2_next_hungry(sess))) {
		char piece[3000];
		memset(piece, 'p', sizeof(piece));
		h2srv_h1_write(s, piece, sizeof(piece), s->out_read > 20000);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	h2srv_h2_t sess;
	size_t n_out = 0, chunk;
	h2srv_emit_out_t out = {count_sink, NULL, &n_out};
	uint8_t knob;

	if (!fuzz_begin(h2srv_h1_startup, &data, &size, &knob)) {
		return 0;
	}
	chunk = knob & 0x40 ? 5 : 4096;
	if (knob & 0x80) {
		out.writev = count_vec;
	}
	h2srv_h1_open(&sess, &limits, &stats, 1024, NULL, knob & 1);
	while (size && h2srv_h1_alive(&sess)) {
		size_t n = size < chunk ? size : chunk;
		h2srv_h1_recv(&sess, (const char *)data, n);
		data += n, size -= n;
		do {
			answer(&sess, knob);
			if (h2srv_h1_send(&sess, knob & 0x04 ? 2048 : 256 * 1024, &out) < 0) {
				goto done;
			}
			answer(&sess, knob);
		} while (h2srv_h1_want_write(&sess) || (h2srv_h1_can_resume(&sess) && !h2srv_h1_resume(&sess)));
		if (h2srv_h1_can_resume(&sess)) {
			h2srv_h1_resume(&sess);
		}
	}
	/* A stalled request, as the read timeout ends it. */
	h2srv_h1_cancel_incomplete(&sess);
	h2srv_h1_send(&sess, 256 * 1024, &out);
done:
	h2srv_h1_close(&sess);
	return 0;
}

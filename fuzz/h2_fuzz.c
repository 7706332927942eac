/*
 * libFuzzer target for the HTTP/2 side of a connection, after TLS: the bytes a client sends
 * (following the preface, which is prepended) go through nghttp2 and our callbacks (request
 * assembly, limits, glitch budget), every complete request is answered with a body whose size
 * comes from the input, and the emit runs after each chunk into a sink that checks nothing
 * but length. The first input byte picks the emit mode (drain, gather, or gather into a
 * vectored write) and the chunking of the rest; bodies past 16 KiB are spooled to /tmp.
 * Whenever no stream is open, the idle sweep's trim runs too (emit buffers freed, the frame
 * buffer's pages and the all-zero pages of nghttp2's stream table given back).
 */
#include <sapi/embed/php_embed.h>
#include "h2/session.h"
#include "sink.h"

static void answer(h2srv_h2_t *h2, uint8_t knob)
{
	h2srv_stream_t *s;

	while ((s = h2srv_h2_next_ready(h2))) {
		if (s->h2 && !(s->flags & H2SRV_STREAM_ENDED)) {
			/* 0 to ~100 KiB: empty, one frame, several frames, past the stream window. */
			size_t len = (size_t)(knob & 0x0f) * 6700 + s->nfields;
			zend_string *body = zend_string_alloc(len, 0);
			memset(ZSTR_VAL(body), 'b', len);
			ZSTR_VAL(body)[len] = '\0';
			nghttp2_nv nv = { (uint8_t *)"x-f", (uint8_t *)"1", 3, 1, NGHTTP2_NV_FLAG_NONE };
			h2srv_h2_respond(s, knob & 0x10 ? 204 : 200, knob & 0x20 ? &nv : NULL, knob & 0x20 ? 1 : 0, body);
		}
		h2srv_stream_unref(s);
	}
}

/* h2srv_h2_startup() returns a status; fuzz_begin() wants none. */
static void startup(void)
{
	h2srv_h2_startup();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0";
	h2srv_h2_t h2;
	size_t n_out = 0, chunk;
	h2srv_emit_out_t out = {count_sink, NULL, &n_out};
	uint8_t knob;

	if (!fuzz_begin(startup, &data, &size, &knob)) {
		return 0;
	}
	chunk = knob & 0x40 ? 7 : 4096;
	if (knob & 0x20) {
		out.writev = count_vec; /* the cleartext connection's vectored flush */
	}
	if (h2srv_h2_open(&h2, &limits, &stats, knob & 0x80 ? H2SRV_EMIT_DRAIN : H2SRV_EMIT_GATHER, 1024, NULL) != 0) {
		return 0;
	}
	if (h2srv_h2_recv(&h2, preface, sizeof(preface) - 1) == 0) {
		while (size) {
			size_t n = size < chunk ? size : chunk;
			if (h2srv_h2_recv(&h2, (const char *)data, n) != 0) {
				break;
			}
			data += n, size -= n;
			answer(&h2, knob);
			if (h2srv_h2_send(&h2, 256 * 1024, &out) < 0) {
				break;
			}
			if (!h2.streams) {
				/* What the idle sweep does: the frame buffer's pages and the all-zero pages of
				 * the stream table are given back, and the next frames must not notice. */
				h2srv_emit_trim(&h2.emit);
				h2srv_h2_trim(&h2);
			}
		}
	}
	h2srv_h2_send(&h2, 256 * 1024, &out); /* whatever the session still has, e.g. GOAWAY */
	h2srv_h2_close(&h2);
	return 0;
}

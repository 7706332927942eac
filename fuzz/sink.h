/* What the session fuzz targets share: the limits they run under, the counters, and emit sinks
 * that check nothing but length. */
#ifndef H2SRV_FUZZ_SINK_H
#define H2SRV_FUZZ_SINK_H

#include <sapi/embed/php_embed.h>
#include "h2/session.h"

static const h2srv_h2_limits_t limits = {
	.max_concurrent_streams = 16,
	.max_body_size = 64 * 1024,
	.max_header_list = 16 * 1024,
	.glitch_budget = 200,
	.glitch_rate = 10,
	.body_buffer_size = 16 * 1024,
	.upload_dir = "/tmp",
	.ws_max_message = 4096,
};

static h2srv_h2_stats_t stats;

static int count_sink(void *ctx, const char *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
	return 0;
}

static int count_vec(void *ctx, const uv_buf_t *bufs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		*(size_t *)ctx += bufs[i].len;
	}
	return 0;
}

/* PHP's embed SAPI (streams allocate with emalloc) and the target's |startup|, once per process;
 * then the input's first byte, the knob, is taken off. Returns false for an empty input. */
static bool fuzz_begin(void (*startup)(void), const uint8_t **data, size_t *size, uint8_t *knob)
{
	static bool ready;

	if (!ready) {
		php_embed_module.php_ini_ignore = 1; /* no php.ini: no opcache, no other extensions */
		php_embed_init(0, NULL);
		startup();
		ready = true;
	}
	if (*size < 1) {
		return false;
	}
	*knob = (*data)[0];
	(*data)++, (*size)--;
	return true;
}

#endif

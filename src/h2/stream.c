#include "php.h"
#include "h2/stream.h"
#include "ws/frame.h"

#define H2SRV_STREAM_POOL_MAX 4096     /* streams kept for reuse per process */
#define H2SRV_STREAM_KEEP_BYTES 8192   /* a pooled stream keeps buffers up to this size... */
#define H2SRV_STREAM_KEEP_FIELDS 64    /* ...and a field array up to this many entries... */
#define H2SRV_STREAM_POOL_BYTES (4 * 1024 * 1024) /* ...while all pooled buffers stay under this */

/* Per process: the server loop is single-threaded and streams may outlive their server. */
static h2srv_stream_t *pool;
static uint32_t pool_len;
static size_t pool_bytes;              /* buffer bytes the pooled streams hold */

/* Buffer bytes a stream holds. */
static size_t kept(const h2srv_stream_t *s)
{
	return s->hbytes.cap + s->body.cap + s->out_q.cap + s->head.cap + s->cap_fields * sizeof(*s->fields);
}

static void free_fields(h2srv_stream_t *s)
{
	if (s->fields) {
		efree(s->fields);
		s->fields = NULL;
		s->cap_fields = 0;
	}
}

h2srv_stream_t *h2srv_stream_new(struct h2srv_h2 *h2, int32_t id)
{
	h2srv_stream_t *s = pool;

	if (s) {
		pool = s->next;
		pool_len--;
		pool_bytes -= kept(s);
	} else {
		s = ecalloc(1, sizeof(*s));
	}
	s->refs = 1;
	s->flags = 0;
	s->id = id;
	s->refusal = 0;
	s->status = 0;
	s->h2 = h2;
	s->prev = s->next = s->next_ready = s->prev_ready = NULL;
	s->nfields = 0;
	s->f_method = s->f_path = s->f_authority = H2SRV_FIELD_NONE;
	s->header_list_size = 0;
	s->hbytes.len = 0;
	s->body.len = 0;
	s->body_size = 0;
	s->spool_fd = -1;
	s->spool_path = NULL;
	s->side_data = NULL;
	s->remote = NULL;
	s->out_body = NULL;
	s->out_read = s->out_sent = 0;
	s->emit_pass = 0;
	s->out_q.len = s->out_q_off = 0;
	s->out_fd = -1;
	s->out_left = 0;
	s->next_hungry = NULL;
	s->trailers = NULL;
	s->ntrailers = 0;
	s->f_trailers = H2SRV_FIELD_NONE;
	s->head.len = 0;
	s->next_pipe = NULL;
	s->next_inbound = NULL;
	s->ws = NULL;
	return s;
}

static void drop_spool(h2srv_stream_t *s)
{
	if (s->spool_fd >= 0) {
		close(s->spool_fd);
		s->spool_fd = -1;
	}
	/* The handler may have moved the file away (rename()): then there is nothing to remove. */
	VCWD_UNLINK(ZSTR_VAL(s->spool_path));
	zend_string_release(s->spool_path);
	s->spool_path = NULL;
}

static void trim(h2srv_buf_t *b)
{
	if (b->cap > H2SRV_STREAM_KEEP_BYTES) {
		h2srv_buf_free(b);
	}
}

void h2srv_stream_unref(h2srv_stream_t *s)
{
	if (--s->refs) {
		return;
	}
	ZEND_ASSERT(!s->side_data && !s->out_body && s->out_fd < 0 && !s->trailers);
	if (s->spool_path) {
		drop_spool(s);
	}
	if (s->ws) {
		h2srv_ws_free(s->ws);
		s->ws = NULL;
	}
	if (pool_len >= H2SRV_STREAM_POOL_MAX) {
		h2srv_buf_free(&s->hbytes);
		h2srv_buf_free(&s->body);
		h2srv_buf_free(&s->out_q);
		h2srv_buf_free(&s->head);
		free_fields(s);
		efree(s);
		return;
	}
	trim(&s->hbytes);
	trim(&s->body);
	trim(&s->out_q);
	trim(&s->head);
	if (s->cap_fields > H2SRV_STREAM_KEEP_FIELDS) {
		free_fields(s);
	}
	/* After a burst of large requests the pool keeps the streams, not all their buffers. */
	if (pool_bytes + kept(s) > H2SRV_STREAM_POOL_BYTES) {
		h2srv_buf_free(&s->hbytes);
		h2srv_buf_free(&s->body);
		h2srv_buf_free(&s->out_q);
		h2srv_buf_free(&s->head);
		free_fields(s);
	}
	pool_bytes += kept(s);
	s->next = pool;
	pool = s;
	pool_len++;
}

uint32_t h2srv_stream_add_field(h2srv_stream_t *s, const uint8_t *name, size_t nlen,
	const uint8_t *value, size_t vlen)
{
	h2srv_field_t *f;

	if (s->hbytes.len + nlen + vlen > UINT32_MAX) {
		return H2SRV_FIELD_NONE;
	}
	if (s->nfields == s->cap_fields) {
		s->cap_fields = s->cap_fields ? s->cap_fields * 2 : 16;
		s->fields = erealloc(s->fields, s->cap_fields * sizeof(*s->fields));
	}
	f = &s->fields[s->nfields];
	f->name_off = (uint32_t)s->hbytes.len;
	f->name_len = (uint32_t)nlen;
	h2srv_buf_append(&s->hbytes, name, nlen);
	f->value_off = (uint32_t)s->hbytes.len;
	f->value_len = (uint32_t)vlen;
	h2srv_buf_append(&s->hbytes, value, vlen);
	return s->nfields++;
}

void h2srv_stream_pool_drain(void)
{
	while (pool) {
		h2srv_stream_t *s = pool;
		pool = s->next;
		h2srv_buf_free(&s->hbytes);
		h2srv_buf_free(&s->body);
		h2srv_buf_free(&s->out_q);
		h2srv_buf_free(&s->head);
		free_fields(s);
		efree(s);
	}
	pool_len = 0;
	pool_bytes = 0;
}

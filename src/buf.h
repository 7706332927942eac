#ifndef H2SRV_BUF_H
#define H2SRV_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A growable byte buffer; it keeps its capacity when emptied so that hot paths reuse it. */
typedef struct h2srv_buf {
	char *data;
	size_t len;
	size_t cap;
	bool persistent;   /* storage from libc's heap, for what lives as long as a connection:
	                    * malloc_trim() gives it back after a burst (see server.c) */
} h2srv_buf_t;

/* Grows |b| geometrically so that |extra| more bytes fit. */
void h2srv_buf_grow(h2srv_buf_t *b, size_t extra);

/* Drops the first |n| bytes, keeping the rest at the front. */
void h2srv_buf_consume(h2srv_buf_t *b, size_t n);

/* Frees the storage; |b| is empty and reusable afterwards. */
void h2srv_buf_free(h2srv_buf_t *b);

/* Holds a copy of |p|[0, n): a buffer without storage gets exactly |n| bytes, not the 4 KiB a
 * growing buffer starts with (for a copy that mostly stays as it is); one with storage keeps it,
 * grown as usual if it must be. */
void h2srv_buf_set_tight(h2srv_buf_t *b, const void *p, size_t n);

static inline void h2srv_buf_reserve(h2srv_buf_t *b, size_t extra)
{
	if (b->cap - b->len < extra) {
		h2srv_buf_grow(b, extra);
	}
}

static inline void h2srv_buf_append(h2srv_buf_t *b, const void *p, size_t n)
{
	h2srv_buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

#endif

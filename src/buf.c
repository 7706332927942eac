#include "php.h"
#include "buf.h"

#define H2SRV_BUF_MIN 4096 /* bytes; the first allocation of any buffer */

void h2srv_buf_grow(h2srv_buf_t *b, size_t extra)
{
	size_t want = b->len + extra;
	size_t cap = b->cap ? b->cap : H2SRV_BUF_MIN;

	while (cap < want) {
		cap *= 2;
	}
	b->data = perealloc(b->data, cap, b->persistent);
	b->cap = cap;
}

void h2srv_buf_consume(h2srv_buf_t *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void h2srv_buf_free(h2srv_buf_t *b)
{
	if (b->data) {
		pefree(b->data, b->persistent);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}

void h2srv_buf_set_tight(h2srv_buf_t *b, const void *p, size_t n)
{
	if (b->cap == 0 && n) {
		b->data = pemalloc(n, b->persistent);
		b->cap = n;
	}
	b->len = 0;
	h2srv_buf_append(b, p, n);
}

#include "php.h"
#ifndef PHP_WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif
#include "h2/mem.h"

static void *mem_malloc(size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;
	void *p = malloc(size);

	if (m->capturing && size >= H2SRV_FRAMEBUF_MIN) {
		m->capturing = false;
		m->framebuf = p;
		m->framebuf_len = size;
	}
	return p;
}

static void mem_free(void *ptr, void *ud)
{
	h2srv_h2_mem_t *m = ud;

	if (ptr && ptr == m->framebuf) {
		m->framebuf = NULL;
	}
	free(ptr);
}

static void *mem_calloc(size_t n, size_t size, void *ud)
{
	(void)ud;
	return calloc(n, size);
}

static void *mem_realloc(void *ptr, size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;

	if (!ptr) {
		return mem_malloc(size, ud); /* how nghttp2 allocates its buffers, the frame buffer too */
	}
	if (ptr == m->framebuf) {
		m->framebuf = NULL; /* not expected from nghttp2; from now on an ordinary block */
	}
	return realloc(ptr, size);
}

void h2srv_h2_mem_init(h2srv_h2_mem_t *m)
{
	m->mem = (nghttp2_mem){m, mem_malloc, mem_free, mem_calloc, mem_realloc};
	m->framebuf = NULL;
	m->framebuf_len = 0;
	m->capturing = true;
	m->released = false;
}

void h2srv_h2_mem_release(h2srv_h2_mem_t *m)
{
	if (m->released || !m->framebuf) {
		return;
	}
	m->released = true;
#if !defined(PHP_WIN32) && defined(MADV_DONTNEED)
	{
		/* Only the pages wholly inside the buffer: its ends share pages with other blocks. */
		uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
		uintptr_t from = ((uintptr_t)m->framebuf + page - 1) / page * page;
		uintptr_t to = ((uintptr_t)m->framebuf + m->framebuf_len) / page * page;
		if (to > from) {
			madvise((void *)from, to - from, MADV_DONTNEED);
		}
	}
#endif
}

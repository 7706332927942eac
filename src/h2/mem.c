#include "php.h"
#ifndef PHP_WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif
#include "h2/mem.h"

/* One Zend MM heap of its own for every session in the process: its small-size bins are
 * several times cheaper than libc's malloc for nghttp2's many small per-stream blocks, and a
 * separate heap is not counted against PHP's memory_limit. NULL with USE_ZEND_ALLOC=0 (the
 * sanitizer runs), so that those see every block. The frame buffer stays in libc's heap: a
 * Zend MM block that size is page-aligned, which measured slower. */
static zend_mm_heap *heap;

void h2srv_h2_mem_startup(void)
{
	const char *env = getenv("USE_ZEND_ALLOC");

	if (!heap && !(env && ZEND_ATOL(env) == 0)) {
		heap = zend_mm_startup();
	}
}

void h2srv_h2_mem_shutdown(void)
{
	if (heap) {
		zend_mm_shutdown(heap, true, true);
		heap = NULL;
	}
}

static void *mem_malloc(size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;
	void *p;

	if (UNEXPECTED(m->capturing) && size >= H2SRV_FRAMEBUF_MIN) {
		m->capturing = false;
		p = malloc(size);
		m->framebuf = p;
		m->framebuf_len = size;
		return p;
	}
	return heap ? zend_mm_alloc(heap, size) : malloc(size);
}

static void mem_free(void *ptr, void *ud)
{
	h2srv_h2_mem_t *m = ud;

	if (!ptr) {
		return;
	}
	if (UNEXPECTED(ptr == m->framebuf)) {
		m->framebuf = NULL;
		free(ptr);
		return;
	}
	if (heap) {
		zend_mm_free(heap, ptr);
	} else {
		free(ptr);
	}
}

static void *mem_calloc(size_t n, size_t size, void *ud)
{
	void *p;

	(void)ud;
	if (!heap) {
		return calloc(n, size);
	}
	if (size && n > SIZE_MAX / size) {
		return NULL;
	}
	p = zend_mm_alloc(heap, n * size);
	return memset(p, 0, n * size);
}

static void *mem_realloc(void *ptr, size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;

	if (!ptr) {
		return mem_malloc(size, ud); /* how nghttp2 allocates its buffers, the frame buffer too */
	}
	if (UNEXPECTED(ptr == m->framebuf)) {
		/* Not expected from nghttp2; it stays libc's block either way. */
		m->framebuf = realloc(ptr, size);
		m->framebuf_len = size;
		return m->framebuf;
	}
	return heap ? zend_mm_realloc(heap, ptr, size) : realloc(ptr, size);
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

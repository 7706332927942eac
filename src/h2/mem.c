#include "php.h"
#ifndef PHP_WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif
#include "h2/mem.h"

/* One Zend MM heap of its own for every session in the process: its small-size bins are
 * several times cheaper than libc's malloc for nghttp2's many small per-stream blocks, and a
 * separate heap is not counted against PHP's memory_limit. NULL with USE_ZEND_ALLOC=0 (the
 * sanitizer runs), so that those see every block. The frame buffer is a libc block of whole
 * pages (see mem.h). */
static zend_mm_heap *heap;
/* One block held for the heap's life. zend_mm_gc() deletes every chunk with no block in it,
 * its main chunk too (PHP 8.2), which holds the heap itself: the next allocation then reads a
 * freed heap. PHP's own heap never empties; this one does, whenever no session is open. */
static void *pin;
static uint32_t sessions; /* made from the heap and not yet deleted */

void h2srv_h2_mem_startup(void)
{
	const char *env = getenv("USE_ZEND_ALLOC");

	if (!heap && !(env && ZEND_ATOL(env) == 0)) {
		heap = zend_mm_startup();
		pin = zend_mm_alloc(heap, 8);
	}
}

size_t h2srv_h2_mem_gc(void)
{
	if (!heap) {
		return 0;
	}
	if (sessions) {
		return zend_mm_gc(heap); /* frees wholly free chunks; pages among live blocks stay */
	}
	/* Nothing lives in the heap but the pin: start it anew, and every chunk goes back. */
	zend_mm_free(heap, pin);
	zend_mm_shutdown(heap, true, true);
	heap = zend_mm_startup();
	pin = zend_mm_alloc(heap, 8);
	return 0;
}

void h2srv_h2_mem_shutdown(void)
{
	if (heap) {
		zend_mm_free(heap, pin);
		zend_mm_shutdown(heap, true, true);
		heap = NULL;
	}
}

#define H2SRV_PAGE 4096 /* bytes; blocks this size or more, made with the session, are watched */

/* Remembers a block of a page or more made while the session is created. */
static void *watch(h2srv_h2_mem_t *m, void *p, size_t size)
{
	for (int i = 0; p && i < H2SRV_MEM_TABLES; i++) {
		if (!m->tables[i]) {
			m->tables[i] = p;
			m->table_len[i] = size;
			break;
		}
	}
	return p;
}

static void unwatch(h2srv_h2_mem_t *m, void *p)
{
	for (int i = 0; i < H2SRV_MEM_TABLES; i++) {
		if (m->tables[i] == p) {
			m->tables[i] = NULL;
		}
	}
}

static void *mem_malloc(size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;
	void *p;

	if (UNEXPECTED(m->capturing) && size >= H2SRV_FRAMEBUF_MIN && !m->framebuf) {
#ifdef PHP_WIN32
		p = malloc(size); /* nothing is given back there (no madvise) */
		m->framebuf_len = size;
#else
		/* Whole pages of its own, so that all of it can be given back while idle. */
		m->framebuf_len = (size + H2SRV_PAGE - 1) / H2SRV_PAGE * H2SRV_PAGE;
		if (posix_memalign(&p, H2SRV_PAGE, m->framebuf_len) != 0) {
			return NULL;
		}
#endif
		m->framebuf = p;
		return p;
	}
	p = heap ? zend_mm_alloc(heap, size) : malloc(size);
	return UNEXPECTED(m->capturing) && size >= H2SRV_PAGE ? watch(m, p, size) : p;
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
	unwatch(m, ptr);
	if (heap) {
		zend_mm_free(heap, ptr);
	} else {
		free(ptr);
	}
}

static void *mem_calloc(size_t n, size_t size, void *ud)
{
	h2srv_h2_mem_t *m = ud;
	void *p;

	if (size && n > SIZE_MAX / size) {
		return NULL;
	}
	p = heap ? memset(zend_mm_alloc(heap, n * size), 0, n * size) : calloc(n, size);
	return UNEXPECTED(m->capturing) && n * size >= H2SRV_PAGE ? watch(m, p, n * size) : p;
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
	unwatch(m, ptr);
	return heap ? zend_mm_realloc(heap, ptr, size) : realloc(ptr, size);
}

void h2srv_h2_mem_init(h2srv_h2_mem_t *m)
{
	m->mem = (nghttp2_mem){m, mem_malloc, mem_free, mem_calloc, mem_realloc};
	m->framebuf = NULL;
	m->framebuf_len = 0;
	memset(m->tables, 0, sizeof(m->tables));
	m->capturing = true;
	m->released = false;
	sessions++;
}

void h2srv_h2_mem_done(h2srv_h2_mem_t *m)
{
	(void)m;
	sessions--;
}

#if !defined(PHP_WIN32) && defined(MADV_DONTNEED)
static bool all_zero(const char *p, size_t n)
{
	uint64_t acc = 0;

	for (size_t i = 0; i < n; i += sizeof(acc)) {
		uint64_t w;
		memcpy(&w, p + i, sizeof(w));
		acc |= w;
	}
	return acc == 0;
}

/* Gives back the pages wholly inside [p, p + len): its ends share pages with other blocks.
 * With |if_zero|, only pages that hold nothing but zeros. */
static void give_back(void *p, size_t len, bool if_zero)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + page - 1) / page * page;
	uintptr_t to = ((uintptr_t)p + len) / page * page;

	if (!if_zero) {
		if (to > from) {
			madvise((void *)from, to - from, MADV_DONTNEED);
		}
		return;
	}
	for (; from < to; from += page) {
		if (all_zero((const char *)from, page)) {
			madvise((void *)from, page, MADV_DONTNEED);
		}
	}
}
#endif

void h2srv_h2_mem_release(h2srv_h2_mem_t *m)
{
	if (m->released) {
		return;
	}
	m->released = true;
#if !defined(PHP_WIN32) && defined(MADV_DONTNEED)
	if (m->framebuf) {
		give_back(m->framebuf, m->framebuf_len, false);
	}
	for (int i = 0; i < H2SRV_MEM_TABLES; i++) {
		if (m->tables[i]) {
			give_back(m->tables[i], m->table_len[i], true);
		}
	}
#endif
}

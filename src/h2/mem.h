#ifndef H2SRV_H2_MEM_H
#define H2SRV_H2_MEM_H

#include <nghttp2/nghttp2.h>
#include "php.h"

/* Allocations at least this large, made while a session is created, are its outbound frame
 * buffer (nghttp2 keeps one of 16394 bytes for the session's life). */
#define H2SRV_FRAMEBUF_MIN 16384 /* bytes */

/* Other blocks of at least a page, made with the session, that are watched (see below). */
#define H2SRV_MEM_TABLES 2

/*
 * One session's allocator for nghttp2: a Zend MM heap of h2srv's own (see mem.c), except for
 * the outbound frame buffer, which comes from libc's heap, page-aligned and rounded up to whole
 * pages, and is remembered, so that an idle connection can give all its pages back to the
 * kernel (they hold only the last frame sent, and come back zeroed when the next frame is
 * written). That buffer is most of what an idle session holds.
 *
 * The other page-sized blocks nghttp2 makes with a session (its stream map's table, 4 KiB in
 * 1.52) are remembered too. Their pages are given back only when they hold nothing but zeros,
 * which is what an empty table is: the kernel's fresh zero page reads the same, so nothing
 * about nghttp2's use of the block is assumed.
 */
typedef struct h2srv_h2_mem {
	nghttp2_mem mem;          /* what nghttp2 calls; its user data points back here */
	void *framebuf;
	size_t framebuf_len;      /* bytes */
	void *tables[H2SRV_MEM_TABLES];
	size_t table_len[H2SRV_MEM_TABLES]; /* bytes */
	bool capturing;           /* the session is being created: the next big block is the buffer */
	bool released;            /* its pages are given back, and no frame was written since */
} h2srv_h2_mem_t;

/* Makes the heap every session allocates from (once per process); h2srv_h2_mem_shutdown()
 * frees it, after the last session is gone. */
void h2srv_h2_mem_startup(void);
void h2srv_h2_mem_shutdown(void);

/* Gives the heap's free chunks back to the kernel, and all of it while no session is open;
 * returns the bytes freed when sessions remain. */
size_t h2srv_h2_mem_gc(void);

/* Prepares |m| for nghttp2_session_server_new3(); call h2srv_h2_mem_created() after it. */
void h2srv_h2_mem_init(h2srv_h2_mem_t *m);

/* The session made with |m| was deleted (or never made): nothing of it is left in the heap. */
void h2srv_h2_mem_done(h2srv_h2_mem_t *m);

/* The session exists: later big allocations are ordinary ones. */
static inline void h2srv_h2_mem_created(h2srv_h2_mem_t *m)
{
	m->capturing = false;
}

/* Frames may be written into the buffer again (an emit pass is about to run). */
static inline void h2srv_h2_mem_touch(h2srv_h2_mem_t *m)
{
	m->released = false;
}

/* Gives the frame buffer's pages back to the kernel, and the all-zero pages of the other
 * blocks; only while nghttp2 has nothing to send. */
void h2srv_h2_mem_release(h2srv_h2_mem_t *m);

#endif

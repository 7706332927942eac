#ifndef H2SRV_H2_MEM_H
#define H2SRV_H2_MEM_H

#include <nghttp2/nghttp2.h>
#include "php.h"

/* Allocations at least this large, made while a session is created, are its outbound frame
 * buffer (nghttp2 keeps one of 16394 bytes for the session's life). */
#define H2SRV_FRAMEBUF_MIN 16384 /* bytes */

/*
 * One session's allocator for nghttp2: a Zend MM heap of h2srv's own (see mem.c), except for
 * the outbound frame buffer, which comes from libc's heap and is remembered, so that an idle
 * connection can give the pages wholly inside it back to the kernel (they hold only the last
 * frame sent, and come back zeroed when the next frame is written). That buffer is most of
 * what an idle session holds. (A page-aligned buffer would give back 4 KiB more, but measured
 * 7-12% slower at 64 KiB responses.)
 */
typedef struct h2srv_h2_mem {
	nghttp2_mem mem;          /* what nghttp2 calls; its user data points back here */
	void *framebuf;
	size_t framebuf_len;      /* bytes */
	bool capturing;           /* the session is being created: the next big block is the buffer */
	bool released;            /* its pages are given back, and no frame was written since */
} h2srv_h2_mem_t;

/* Makes the heap every session allocates from (once per process); h2srv_h2_mem_shutdown()
 * frees it, after the last session is gone. */
void h2srv_h2_mem_startup(void);
void h2srv_h2_mem_shutdown(void);

/* Prepares |m| for nghttp2_session_server_new3(); call h2srv_h2_mem_created() after it. */
void h2srv_h2_mem_init(h2srv_h2_mem_t *m);

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

/* Gives the frame buffer's pages back to the kernel; only while nghttp2 has nothing to send. */
void h2srv_h2_mem_release(h2srv_h2_mem_t *m);

#endif

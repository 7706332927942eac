#ifndef H2SRV_H2_EMIT_H
#define H2SRV_H2_EMIT_H

#include "php.h"
#include <uv.h>
#include "buf.h"

/* A slice of plaintext: in the pass's control buffer (|body| NULL) or in a response body. */
typedef struct h2srv_record {
	const char *body;
	size_t off;
	size_t len;
} h2srv_record_t;

/*
 * What one emit pass gathered from nghttp2 for one connection. The arrays and buffers live
 * as long as the connection and are only reset between passes, so a steady state allocates
 * nothing here.
 */
typedef struct h2srv_emit {
	h2srv_record_t *records;
	uint32_t nrecords;
	uint32_t cap_records;
	zend_string **body_refs;     /* bodies of streams that closed while their slices wait */
	uint32_t nbody_refs;
	uint32_t cap_body_refs;
	h2srv_buf_t ctl;             /* frame headers and control frames of this pass */
	h2srv_buf_t staging;         /* one flush's plaintext */
	uv_buf_t *iov;               /* one flush's slices, for a vectored write */
	uint32_t cap_iov;
	size_t gathered;             /* plaintext bytes in |records| */
	size_t room;                 /* bytes this pass may gather before it stops */
	size_t byte_cap;             /* plaintext bytes per SSL_write_ex */
	uint64_t pass;               /* counts passes, so a stream knows if a slice is pending */
	uint32_t writes;             /* sink calls since the owner last took the count */
} h2srv_emit_t;

/*
 * Where a flush delivers its plaintext. |write| takes contiguous bytes (TLS encrypts them, up
 * to byte_cap at a time); |writev|, when set, takes the pass's slices in place instead (TLS
 * that h2srv seals encrypts them where they lie, see tls/seal.h; a cleartext connection hands
 * them to the socket in one vectored write). Both return 0, or -1 when the connection is broken.
 */
typedef struct h2srv_emit_out {
	int (*write)(void *ctx, const char *p, size_t n);
	int (*writev)(void *ctx, const uv_buf_t *bufs, uint32_t n);
	void *ctx;
} h2srv_emit_out_t;

/* Adds a slice of response-body memory; the caller keeps it alive until the flush. */
void h2srv_emit_push(h2srv_emit_t *e, const char *body, size_t off, size_t len);

/* Copies control bytes (frame headers, HEADERS, SETTINGS…) into the pass. */
static inline void h2srv_emit_ctl(h2srv_emit_t *e, const void *p, size_t n)
{
	h2srv_record_t *last = e->nrecords ? &e->records[e->nrecords - 1] : NULL;

	/* Consecutive control bytes are one slice: they sit back to back in |ctl|. */
	if (last && !last->body) {
		last->len += n;
	} else {
		h2srv_emit_push(e, NULL, e->ctl.len, n);
	}
	h2srv_buf_append(&e->ctl, p, n);
	e->gathered += n;
}

/* Keeps |body| (ownership moves here) until this pass is flushed. */
void h2srv_emit_keep(h2srv_emit_t *e, zend_string *body);

/* Writes the pass to |out| (its slices, or chunks of at most byte_cap bytes), then resets it
 * for reuse. */
int h2srv_emit_flush(h2srv_emit_t *e, const h2srv_emit_out_t *out);

/* Frees the arrays and buffers. */
void h2srv_emit_free(h2srv_emit_t *e);

/* Gives back the arrays and buffers of an idle connection (nothing gathered, nothing kept);
 * the next pass allocates them again. */
void h2srv_emit_trim(h2srv_emit_t *e);

#endif

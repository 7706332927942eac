#include "php.h"
#include "h2/emit.h"

void h2srv_emit_push(h2srv_emit_t *e, const char *body, size_t off, size_t len)
{
	h2srv_record_t *r;

	if (UNEXPECTED(e->nrecords == e->cap_records)) {
		e->cap_records = e->cap_records ? e->cap_records * 2 : 64;
		e->records = perealloc(e->records, e->cap_records * sizeof(*e->records), 1);
	}
	r = &e->records[e->nrecords++];
	r->body = body;
	r->off = off;
	r->len = len;
	if (body) {
		e->gathered += len;
	}
}

void h2srv_emit_keep(h2srv_emit_t *e, zend_string *body)
{
	if (UNEXPECTED(e->nbody_refs == e->cap_body_refs)) {
		e->cap_body_refs = e->cap_body_refs ? e->cap_body_refs * 2 : 16;
		e->body_refs = perealloc(e->body_refs, e->cap_body_refs * sizeof(*e->body_refs), 1);
	}
	e->body_refs[e->nbody_refs++] = body;
}

/* The pass's slices as one vector, without copying them. */
static int flush_vec(h2srv_emit_t *e, const h2srv_emit_out_t *out)
{
	if (UNEXPECTED(e->nrecords > e->cap_iov)) {
		e->cap_iov = MAX(e->cap_records, 64);
		e->iov = perealloc(e->iov, e->cap_iov * sizeof(*e->iov), 1);
	}
	for (uint32_t i = 0; i < e->nrecords; i++) {
		const h2srv_record_t *r = &e->records[i];
		e->iov[i] = uv_buf_init((char *)(r->body ? r->body : e->ctl.data) + r->off, (unsigned int)r->len);
	}
	e->writes++;
	return out->writev(out->ctx, e->iov, e->nrecords);
}

int h2srv_emit_flush(h2srv_emit_t *e, const h2srv_emit_out_t *out)
{
	int (*sink)(void *, const char *, size_t) = out->write;
	void *ctx = out->ctx;
	size_t cap = e->byte_cap;
	int rc = 0;

	if (out->writev) {
		rc = flush_vec(e, out);
		goto reset;
	}
	/* One slice is written straight from where it lies: no staging copy. */
	if (e->nrecords == 1 && e->records[0].len <= cap) {
		const h2srv_record_t *r = &e->records[0];
		rc = sink(ctx, (r->body ? r->body : e->ctl.data) + r->off, r->len);
		e->writes++;
		goto reset;
	}

	e->staging.len = 0;
	h2srv_buf_reserve(&e->staging, MIN(e->gathered, cap));
	for (uint32_t i = 0; i < e->nrecords && rc == 0; i++) {
		const h2srv_record_t *r = &e->records[i];
		const char *p = (r->body ? r->body : e->ctl.data) + r->off;
		size_t left = r->len;

		while (left) {
			size_t n = MIN(left, cap - e->staging.len);
			memcpy(e->staging.data + e->staging.len, p, n);
			e->staging.len += n;
			p += n;
			left -= n;
			if (e->staging.len == cap) {
				e->writes++;
				if ((rc = sink(ctx, e->staging.data, cap)) != 0) {
					break;
				}
				e->staging.len = 0;
			}
		}
	}
	if (rc == 0 && e->staging.len) {
		e->writes++;
		rc = sink(ctx, e->staging.data, e->staging.len);
	}

reset:
	for (uint32_t i = 0; i < e->nbody_refs; i++) {
		zend_string_release(e->body_refs[i]);
	}
	e->nbody_refs = 0;
	e->nrecords = 0;
	e->ctl.len = 0;
	e->gathered = 0;
	e->pass++;
	return rc;
}

void h2srv_emit_free(h2srv_emit_t *e)
{
	for (uint32_t i = 0; i < e->nbody_refs; i++) {
		zend_string_release(e->body_refs[i]);
	}
	if (e->records) {
		pefree(e->records, 1);
	}
	if (e->body_refs) {
		pefree(e->body_refs, 1);
	}
	if (e->iov) {
		pefree(e->iov, 1);
	}
	h2srv_buf_free(&e->ctl);
	h2srv_buf_free(&e->staging);
	memset(e, 0, sizeof(*e));
}

void h2srv_emit_trim(h2srv_emit_t *e)
{
	ZEND_ASSERT(e->nrecords == 0 && e->nbody_refs == 0);
	if (e->records) {
		pefree(e->records, 1);
		e->records = NULL;
		e->cap_records = 0;
	}
	if (e->body_refs) {
		pefree(e->body_refs, 1);
		e->body_refs = NULL;
		e->cap_body_refs = 0;
	}
	if (e->iov) {
		pefree(e->iov, 1);
		e->iov = NULL;
		e->cap_iov = 0;
	}
	h2srv_buf_free(&e->ctl);
	h2srv_buf_free(&e->staging);
}

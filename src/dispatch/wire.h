#ifndef H2SRV_DISPATCH_WIRE_H
#define H2SRV_DISPATCH_WIRE_H

#include <stdint.h>
#include <string.h>

/* Payloads of the ring messages (region.h), each right after its h2srv_msg_t. */

/* TAKEN: which slot the worker copied, and the worker's life when it took it. */
typedef struct h2srv_wire_taken {
	uint32_t slot;
	uint32_t life;
} h2srv_wire_taken_t;

/* HEAD: then |nfields| fields, then |body_len| bytes: the whole body, or with
 * H2SRV_MF_FILE the path of the file to send. */
typedef struct h2srv_wire_head {
	uint16_t status;
	uint16_t pad;
	uint32_t nfields;
	uint32_t body_len;
	uint32_t pad2;
	int64_t size;                  /* content-length of a fed body, -1 when unknown */
	uint64_t dev;                  /* H2SRV_MF_FILE: the file the worker checked */
	uint64_t ino;
	uint64_t offset;               /* ... opened again by path: where its body starts (a range) */
} h2srv_wire_head_t;

/* One field: then |nlen| name bytes and |vlen| value bytes. TRAILERS: a uint32_t count, then
 * that many fields. */
typedef struct h2srv_wire_field {
	uint32_t nlen;
	uint32_t vlen;
} h2srv_wire_field_t;

/* Lays out one field at |p|; returns the end. */
static inline unsigned char *h2srv_wire_put_field(unsigned char *p, const void *name, size_t nlen, const void *value,
	size_t vlen)
{
	h2srv_wire_field_t f = {(uint32_t)nlen, (uint32_t)vlen};

	memcpy(p, &f, sizeof(f));
	p += sizeof(f);
	memcpy(p, name, nlen);
	memcpy(p + nlen, value, vlen);
	return p + nlen + vlen;
}

/* Reads the field at |p| into |f|, its name at |*name| (the value follows it); returns the end. */
static inline const unsigned char *h2srv_wire_get_field(const unsigned char *p, h2srv_wire_field_t *f,
	const unsigned char **name)
{
	memcpy(f, p, sizeof(*f));
	*name = p + sizeof(*f);
	return *name + f->nlen + f->vlen;
}

/* With H2SRV_MF_INPLACE the body of a HEAD is laid out as a zend_string, its header at the first
 * 8-byte boundary after the fields: the reactor fills the header in and hands the string to the
 * stream as it lies, so the body is not copied again. |fields_end| is the offset of the end of
 * the fields from the start of the message. */
static inline size_t h2srv_wire_body_at(size_t fields_end)
{
	return (fields_end + 7) & ~(size_t)7;
}

/* CONSUMED: body bytes PHP took. */
typedef struct h2srv_wire_count {
	uint64_t n;
} h2srv_wire_count_t;

/* WS_OPEN: what permessage-deflate agreed (|deflating| 0: nothing). */
typedef struct h2srv_wire_ws_open {
	uint8_t deflating;
	uint8_t client_bits;
	uint8_t server_bits;
	uint8_t client_no_takeover;
	uint32_t pad;
} h2srv_wire_ws_open_t;

/* WS_SEND, WS_IN, WS_CLOSE: then the part's bytes. A message longer than a ring message goes
 * in parts, FIRST to LAST; |total| is the whole message's length. */
typedef struct h2srv_wire_part {
	uint32_t kind;                 /* WS_IN: H2SRV_WS_IN_*; WS_SEND: 1 for binary; WS_CLOSE: the code */
	uint32_t total;
	uint32_t len;                  /* bytes in this part (a message's length is padded to 8) */
	uint32_t pad;
} h2srv_wire_part_t;

/* DATA, and BODY without MF_LAST: then |len| body bytes. */
typedef struct h2srv_wire_data {
	uint32_t len;
	uint32_t pad;
} h2srv_wire_data_t;

#endif

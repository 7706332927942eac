#ifndef H2SRV_DISPATCH_RING_H
#define H2SRV_DISPATCH_RING_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

/*
 * A single-producer single-consumer ring of messages in shared memory: one process appends,
 * one other process takes, in order. A message never wraps (a pad fills the end instead), so a
 * taker reads each one where it lies. |tail| moves only once a whole message is written: a
 * producer that dies halfway leaves nothing torn behind, and its successor writes from |tail|.
 */
typedef struct h2srv_ring {
	_Alignas(64) uint64_t head;    /* bytes taken; written by the consumer */
	_Alignas(64) uint64_t tail;    /* bytes committed; written by the producer */
	uint32_t size;                 /* bytes of |data|, a power of two */
	uint32_t producer_waits;       /* the producer found it full and sleeps until the consumer,
	                                * having given room back, clears this and wakes it */
	_Alignas(64) unsigned char data[];
} h2srv_ring_t;

/* Every message starts with this; |len| counts the header and is a multiple of 8. */
typedef struct h2srv_msg {
	uint32_t len;
	uint16_t type;
	uint16_t flags;
	uint32_t ticket;               /* which request (the reactor's ticket index) */
	uint32_t gen;                  /* and which use of that ticket */
} h2srv_msg_t;

#define H2SRV_MSG_PAD 0            /* fills the end of the ring; skipped */

static inline size_t h2srv_ring_bytes(uint32_t size)
{
	return sizeof(h2srv_ring_t) + size;
}

static inline void h2srv_ring_init(h2srv_ring_t *r, uint32_t size)
{
	r->head = r->tail = 0;
	r->size = size;
	r->producer_waits = 0;
}

/* The largest message a ring takes: bigger ones are sent in parts. */
static inline uint32_t h2srv_ring_max(const h2srv_ring_t *r)
{
	return r->size / 4;
}

/* Reserves room for a message of |len| bytes (header included) at the producer's |*pos| (a
 * private copy of |tail|); returns where to write it, or NULL while the ring is too full. */
static inline h2srv_msg_t *h2srv_ring_reserve(h2srv_ring_t *r, uint64_t *pos, uint32_t len)
{
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	uint32_t off = (uint32_t)(*pos & (r->size - 1));
	uint32_t pad;

	len = (len + 7) & ~7u;
	pad = r->size - off < len ? r->size - off : 0;
	if (*pos + pad + len - head > r->size) {
		return NULL;
	}
	if (pad) {
		h2srv_msg_t *p = (h2srv_msg_t *)(r->data + off);
		p->len = pad;
		p->type = H2SRV_MSG_PAD;
		*pos += pad;
		off = 0;
	}
	return (h2srv_msg_t *)(r->data + off);
}

/* Commits the message written at the reserved place (its |len| set). */
static inline void h2srv_ring_commit(h2srv_ring_t *r, uint64_t *pos, h2srv_msg_t *m)
{
	m->len = (m->len + 7) & ~7u;
	*pos += m->len;
	__atomic_store_n(&r->tail, *pos, __ATOMIC_RELEASE);
}

/* The next message, or NULL when none is committed; it stays valid until h2srv_ring_done(). */
static inline h2srv_msg_t *h2srv_ring_peek(h2srv_ring_t *r)
{
	for (;;) {
		uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		h2srv_msg_t *m;

		if (r->head == tail) {
			return NULL;
		}
		m = (h2srv_msg_t *)(r->data + (r->head & (r->size - 1)));
		if (m->type != H2SRV_MSG_PAD) {
			return m;
		}
		__atomic_store_n(&r->head, r->head + m->len, __ATOMIC_RELEASE);
	}
}

/* Gives the space of the message h2srv_ring_peek() returned back to the producer. */
static inline void h2srv_ring_done(h2srv_ring_t *r, const h2srv_msg_t *m)
{
	__atomic_store_n(&r->head, r->head + m->len, __ATOMIC_RELEASE);
}

/* A consumer that keeps some messages after reading them (their bytes are referenced where they
 * lie) reads from its own position |*rpos| and gives space back with h2srv_ring_release(). */
static inline h2srv_msg_t *h2srv_ring_peek_at(h2srv_ring_t *r, uint64_t *rpos)
{
	for (;;) {
		uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		h2srv_msg_t *m;

		if (*rpos == tail) {
			return NULL;
		}
		m = (h2srv_msg_t *)(r->data + (*rpos & (r->size - 1)));
		if (m->type != H2SRV_MSG_PAD) {
			return m;
		}
		*rpos += m->len;
	}
}

/* Gives the producer the space before |pos| back. */
static inline void h2srv_ring_release(h2srv_ring_t *r, uint64_t pos)
{
	__atomic_store_n(&r->head, pos, __ATOMIC_RELEASE);
}

/* Bytes between what was given back and what is committed. */
static inline uint64_t h2srv_ring_used(h2srv_ring_t *r)
{
	return __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&r->head, __ATOMIC_RELAXED);
}

static inline bool h2srv_ring_empty(h2srv_ring_t *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_RELAXED) == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
}

#endif

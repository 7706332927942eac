#ifndef H2SRV_DISPATCH_REGION_H
#define H2SRV_DISPATCH_REGION_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "dispatch/ring.h"

/*
 * The shared memory of request dispatch: what reactors (which own the connections) and PHP
 * workers (which run the handlers) exchange. Mapped by the supervisor before it forks, so every
 * process sees it at the same address and it goes away with the last of them.
 *
 *   reactor --(request slot + queue entry)--> any worker
 *   worker  --(its ring to that reactor: taken, headers, body, end, reset)--> reactor
 *   reactor --(the worker's inbox from it: more, closed)--> the worker bound to a stream
 *
 * Nobody sleeps while it has work; a side that is about to sleep says so in its wake block,
 * and the other side pays for an eventfd write only when it sees that.
 */

#define H2SRV_SLOTS 2048                  /* small request slots per reactor */
#define H2SRV_SLOT_BYTES (16 * 1024)      /* bytes per small slot: headers and a small body */
#define H2SRV_BIG_SLOTS 32                /* big request slots per reactor */
#define H2SRV_BIG_SLOT_BYTES (256 * 1024) /* bytes per big slot; a body past what fits is spooled */
#define H2SRV_OUT_RING (1024 * 1024)      /* bytes per (worker, reactor) ring of response parts */
#define H2SRV_INBOX_RING (64 * 1024)      /* bytes per (reactor, worker) ring of stream notices */

/* Worker to reactor. */
#define H2SRV_MSG_TAKEN 1     /* a worker copied the request out of its slot: the slot is free */
#define H2SRV_MSG_HEAD 2      /* status, headers, and the body inline or announced */
#define H2SRV_MSG_DATA 3      /* body bytes of a fed response */
#define H2SRV_MSG_TRAILERS 4  /* fields sent after the body (comes before HEAD) */
#define H2SRV_MSG_RESET 5     /* the response cannot be completed */
/* Reactor to worker. */
#define H2SRV_MSG_MORE 6      /* a fed body ran low: write up to H2SRV_FED_HIGH more bytes */
#define H2SRV_MSG_CLOSED 7    /* the stream is gone: stop producing */
/* Worker to reactor, for requests handed over early and WebSockets. */
#define H2SRV_MSG_CONSUMED 8  /* PHP took this many body bytes (h2srv_wire_count_t): credit the peer */
#define H2SRV_MSG_WS_OPEN 9   /* the handshake's answer went: the reactor reads and writes frames */
#define H2SRV_MSG_WS_SEND 10  /* part of a message out (h2srv_wire_part_t: binary, total) */
#define H2SRV_MSG_WS_CLOSE 11 /* the closing handshake (h2srv_wire_part_t: kind is the code), the reason */
/* Reactor to worker, for the same. */
#define H2SRV_MSG_BODY 12     /* bytes of a body as it arrives; with MF_LAST its end, the trailers
                               * following as in TRAILERS */
#define H2SRV_MSG_WS_IN 13    /* part of a WebSocket inbox entry (h2srv_wire_part_t: kind, total) */

/* HEAD and DATA flags. */
#define H2SRV_MF_LAST 1       /* the body is complete with this message */
#define H2SRV_MF_FED 2        /* HEAD: DATA messages follow */
#define H2SRV_MF_FILE 4       /* HEAD: the reactor sends the file at the path given */
#define H2SRV_MF_INPLACE 8    /* HEAD: the body lies as a zend_string (h2srv_wire_body_at) */
#define H2SRV_MF_PASSED 16    /* HEAD with MF_FILE: the file itself was sent on the reactor's
                               * socket (h2srv_files_send), under the token in |ino| */
#define H2SRV_MF_FIRST 32     /* WS_SEND, WS_IN: the first part of a message (LAST: its last) */

#define H2SRV_SLOT_FREE 0
#define H2SRV_SLOT_QUEUED 1
#define H2SRV_SLOT_TAKEN 2    /* a worker copies it out; the claim says which, in which life */

/* A slot's claim word: its state and, once taken, the worker lane and that lane's life. One
 * word, so that taking a request is one compare-and-swap, and a worker that dies right after
 * it is seen on the slot. */
#define H2SRV_CLAIM(state, owner, life) ((uint64_t)(life) << 32 | (uint64_t)(owner) << 8 | (uint64_t)(state))
#define H2SRV_CLAIM_STATE(c) ((uint32_t)((c) & 0xff))
#define H2SRV_CLAIM_OWNER(c) ((uint32_t)((c) >> 8) & 0xffffff)
#define H2SRV_CLAIM_LIFE(c) ((uint32_t)((c) >> 32))

/* One request as the reactor wrote it; its bytes follow the header in the slot. */
typedef struct h2srv_req_slot {
	uint64_t claim;                /* H2SRV_CLAIM(), atomic */
	uint32_t cancelled;            /* the stream closed while queued: skip it */
	uint32_t ticket;
	uint32_t gen;
	int32_t stream_id;
	uint32_t stream_flags;         /* HEAD and such (h2/stream.h) */
	uint32_t nfields;
	uint32_t f_method, f_path, f_authority, f_trailers;
	uint32_t hbytes_len;
	uint32_t body_len;             /* bytes of the body in the slot (0 when spooled) */
	uint32_t spool_len;            /* bytes of the spooled body's path, 0 if none */
	uint32_t carried;              /* spooled only to cross: the worker reads it back into memory */
	uint32_t remote_len;
	uint32_t tls_len;              /* bytes of the serialised TLS facts, 0 on h2c */
	uint64_t body_size;
	/* h2srv_field_t fields[nfields], hbytes, body, spool path, remote, TLS facts */
	_Alignas(8) unsigned char data[];
} h2srv_req_slot_t;

typedef struct h2srv_wake {
	_Alignas(64) uint32_t sleeping; /* about to block: write |efd| to wake it */
	uint32_t wants_space;          /* a reactor waits for room in a worker's inbox (input for it);
	                                * a worker waiting for room says so in the ring */
	uint32_t life;                 /* a worker lane: bumped by the supervisor each time its worker
	                                * ends; a reactor: by each reactor that starts (its epoch) */
	int32_t pid;
	int efd;                       /* eventfd, the same number in every process */
	int files[2];                  /* a reactor: a datagram socket pair; workers send open files
	                                * (SCM_RIGHTS) on [1], the reactor takes them from [0] */
} h2srv_wake_t;

/* A reactor's queue of request slots, taken by any worker without a lock. The entries are
 * only hints, in order: what a worker takes is the slot, by moving its claim from QUEUED to
 * TAKEN. So a worker that dies anywhere in a take leaves either a queued slot (taken by the
 * next) or a taken one (failed by the reactor), never a lock held or an entry half taken.
 * The queue cannot fill: each entry not yet passed holds a slot, and there are fewer slots
 * than entries. */
#define H2SRV_QUEUE_CAP 4096           /* a power of two above H2SRV_SLOTS + H2SRV_BIG_SLOTS */

typedef struct h2srv_queue {
	_Alignas(64) uint64_t head;    /* the next entry to look at: workers move it, any of them */
	_Alignas(64) uint64_t tail;    /* the next entry's place: moved by the reactor alone */
	_Alignas(64) uint32_t entries[H2SRV_QUEUE_CAP]; /* slot numbers */
} h2srv_queue_t;

typedef struct h2srv_region {
	unsigned char *base;
	size_t len;
	uint32_t reactors;
	uint32_t workers;              /* worker lanes: each live worker holds one (a replacement and
	                                * the worker it replaces hold two), see workers.c */
	h2srv_queue_t *queues;         /* [reactors] */
	h2srv_wake_t *reactor_wake;    /* [reactors] */
	h2srv_wake_t *worker_wake;     /* [workers] */
	uint64_t *deaths;              /* bumped after a worker's life: reactors fail its streams */
	unsigned char *slots;          /* per reactor: H2SRV_SLOTS small then H2SRV_BIG_SLOTS big */
	size_t slots_per_reactor;      /* bytes */
	unsigned char *rings;
} h2srv_region_t;

/* Maps the region for |reactors| and |workers| with their eventfds; returns 0, or -1 with
 * errno set. */
int h2srv_region_init(h2srv_region_t *g, uint32_t reactors, uint32_t workers);

/* Unmaps the region and closes the eventfds (each process its own). */
void h2srv_region_free(h2srv_region_t *g);

static inline h2srv_req_slot_t *h2srv_region_slot(const h2srv_region_t *g, uint32_t reactor, uint32_t i)
{
	unsigned char *base = g->slots + (size_t)reactor * g->slots_per_reactor;

	return (h2srv_req_slot_t *)(i < H2SRV_SLOTS ? base + (size_t)i * H2SRV_SLOT_BYTES
		: base + (size_t)H2SRV_SLOTS * H2SRV_SLOT_BYTES + (size_t)(i - H2SRV_SLOTS) * H2SRV_BIG_SLOT_BYTES);
}

static inline size_t h2srv_region_slot_room(uint32_t i)
{
	return (i < H2SRV_SLOTS ? H2SRV_SLOT_BYTES : H2SRV_BIG_SLOT_BYTES) - sizeof(h2srv_req_slot_t);
}

/* The ring of response parts from |worker| to |reactor|. */
h2srv_ring_t *h2srv_region_out(const h2srv_region_t *g, uint32_t worker, uint32_t reactor);

/* The ring of notices from |reactor| to |worker|. */
h2srv_ring_t *h2srv_region_inbox(const h2srv_region_t *g, uint32_t worker, uint32_t reactor);

/* Queues |reactor|'s |slot|, written and marked QUEUED by it (a release store). Only that
 * reactor calls this. */
static inline void h2srv_queue_push(h2srv_region_t *g, uint32_t reactor, uint32_t slot)
{
	h2srv_queue_t *q = &g->queues[reactor];
	uint64_t t = __atomic_load_n(&q->tail, __ATOMIC_RELAXED);

	__atomic_store_n(&q->entries[t & (H2SRV_QUEUE_CAP - 1)], slot, __ATOMIC_RELAXED);
	__atomic_store_n(&q->tail, t + 1, __ATOMIC_RELEASE);
}

/* Takes a queued request for |worker|, looking at the reactors' queues from |*reactor| on:
 * claims its slot and sets |*reactor| and |*slot|; returns false when every queue is empty. */
bool h2srv_queue_take(h2srv_region_t *g, uint32_t worker, uint32_t *reactor, uint32_t *slot);

#define H2SRV_PREFETCH_LINES 8           /* a slot's header, fields and the start of its bytes */

/* Starts loading the slot of |reactor|'s next entry: its lines went cold while it waited, and
 * a worker that asks for them while it runs a handler does not wait for them at its next take.
 * A hint only: the entry may be taken by another worker meanwhile. */
static inline void h2srv_queue_prefetch(const h2srv_region_t *g, uint32_t reactor)
{
	const h2srv_queue_t *q = &g->queues[reactor];
	uint64_t h = __atomic_load_n(&q->head, __ATOMIC_RELAXED);
	uint32_t i;

	if (h == __atomic_load_n(&q->tail, __ATOMIC_RELAXED)) {
		return;
	}
	i = __atomic_load_n(&q->entries[h & (H2SRV_QUEUE_CAP - 1)], __ATOMIC_RELAXED);
	if (i < H2SRV_SLOTS + H2SRV_BIG_SLOTS) {
		const char *p = (const char *)h2srv_region_slot(g, reactor, i);
		__builtin_prefetch(p, 1, 3); /* the claim word is written */
		for (int k = 1; k < H2SRV_PREFETCH_LINES; k++) {
			__builtin_prefetch(p + 64 * k, 0, 3);
		}
	}
}

static inline bool h2srv_queue_empty(const h2srv_region_t *g)
{
	for (uint32_t r = 0; r < g->reactors; r++) {
		const h2srv_queue_t *q = &g->queues[r];
		if (__atomic_load_n(&q->head, __ATOMIC_ACQUIRE) != __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE)) {
			return false;
		}
	}
	return true;
}

static inline uint32_t h2srv_slot_state(const h2srv_req_slot_t *sl)
{
	return H2SRV_CLAIM_STATE(__atomic_load_n(&sl->claim, __ATOMIC_ACQUIRE));
}

/* Whether a worker took the slot in a life that has ended: it died copying the request out, so
 * no TAKEN message will give the slot back. */
static inline bool h2srv_slot_taker_died(const h2srv_region_t *g, const h2srv_req_slot_t *sl)
{
	uint64_t c = __atomic_load_n(&sl->claim, __ATOMIC_ACQUIRE);

	return H2SRV_CLAIM_STATE(c) == H2SRV_SLOT_TAKEN && H2SRV_CLAIM_OWNER(c) < g->workers
		&& __atomic_load_n(&g->worker_wake[H2SRV_CLAIM_OWNER(c)].life, __ATOMIC_ACQUIRE) != H2SRV_CLAIM_LIFE(c);
}

/* Sends the open file |fd| to a reactor's socket under |token|; returns 0, or -1 (a full socket:
 * the caller falls back to the file's path). */
int h2srv_files_send(int sock, int fd, uint64_t token);

/* Receives one file from a reactor's socket; returns the fd and sets |*token|, or -1 when none
 * is waiting. */
int h2srv_files_recv(int sock, uint64_t *token);

/* Wakes the process of |w| if it sleeps (one eventfd write), or does nothing. */
void h2srv_wake(h2srv_wake_t *w);

/* Says that this process is about to sleep; the caller then checks for work once more and
 * calls h2srv_wake_up() if it found some. */
static inline void h2srv_wake_sleep(h2srv_wake_t *w)
{
	__atomic_store_n(&w->sleeping, 1, __ATOMIC_SEQ_CST);
}

/* Awake again: drains the eventfd's count when a waker wrote it. */
void h2srv_wake_up(h2srv_wake_t *w);

#endif

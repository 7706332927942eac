#ifndef H2SRV_BALANCE_H
#define H2SRV_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * How workers that share a listening socket share its connections. Every worker is woken by a
 * pending connection; each publishes its load (open connections, and whether it is inside a
 * handler) in a table of shared memory made before the fork, and a woken worker takes the
 * connection only if no other worker is less loaded. So a worker that holds more connections,
 * or will block in a handler, leaves a new connection to an idle one, which takes it within
 * microseconds; one that is kept waiting takes it anyway after H2SRV_ACCEPT_DEFER_MS
 * (listener.c). Only the owner of a slot writes it, with plain stores; readers tolerate a
 * stale value, which costs at most one less even placement.
 */

typedef struct h2srv_load {
	_Alignas(64) uint32_t conns;   /* open connections */
	uint32_t busy;                 /* 1 while a handler runs */
} h2srv_load_t;

typedef struct h2srv_balance {
	h2srv_load_t *loads;           /* one per worker slot; NULL with one process */
	uint32_t n;
	uint32_t self;                 /* this worker's slot */
	bool publishing;               /* this process writes its slot (a serving worker) */
} h2srv_balance_t;

/* Maps the shared table for |workers| slots, before the fork; returns 0, or -1 (then every
 * worker takes what it is woken for, as without a table). */
int h2srv_balance_init(h2srv_balance_t *b, uint32_t workers);

/* Unmaps the table (each process unmaps its own mapping). */
void h2srv_balance_free(h2srv_balance_t *b);

/* In a new worker: it owns slot |id| from now on, with no load yet. */
void h2srv_balance_join(h2srv_balance_t *b, uint32_t id);

/* This worker stops taking connections (a stop or a reload): it writes its slot no more (its
 * successor in the slot does). */
void h2srv_balance_leave(h2srv_balance_t *b);

/* In the supervisor: slot |id|'s worker is gone; the slot reads as full until it is replaced. */
void h2srv_balance_vacate(h2srv_balance_t *b, uint32_t id);

/* Whether this worker should take the next pending connection: no other is less loaded. */
bool h2srv_balance_my_turn(const h2srv_balance_t *b);

static inline void h2srv_balance_conns(h2srv_balance_t *b, uint32_t n)
{
	if (b->publishing) {
		__atomic_store_n(&b->loads[b->self].conns, n, __ATOMIC_RELAXED);
	}
}

static inline void h2srv_balance_busy(h2srv_balance_t *b, bool busy)
{
	if (b->publishing) {
		__atomic_store_n(&b->loads[b->self].busy, busy, __ATOMIC_RELAXED);
	}
}

#endif

#ifndef H2SRV_STATS_H
#define H2SRV_STATS_H

#include "php.h"
#include "h2/session.h"

/* One process's counters. Plain increments where the event happens (no locks, no lookups):
 * each process writes only its own. Gauges say "open"; everything else only grows. */
typedef struct h2srv_stats {
	h2srv_h2_stats_t h2;
	uint64_t conns_open;           /* gauge */
	uint64_t conns_total;          /* accepted */
	uint64_t conns_refused;        /* closed at accept: max_connections */
	uint64_t handshakes;           /* TLS handshakes completed */
	uint64_t handshake_failures;
	uint64_t sealed;               /* TLS connections whose records h2srv seals */
	uint64_t key_updates;          /* KeyUpdates sent because a write key reached its limit */
	uint64_t key_goaways;          /* TLS 1.2 connections told to go at that limit instead */
	uint64_t memory_trims;         /* times a gone burst's memory was given back */
	uint64_t requests;             /* handler calls */
	uint64_t compress_in;          /* response body bytes before compression */
	uint64_t compress_out;         /* ... and after */
	uint64_t bytes_in;             /* from peers, as read from the sockets */
	uint64_t bytes_out;            /* to peers, as given to the sockets */
	uint64_t timeouts_handshake;
	uint64_t timeouts_idle;
	uint64_t timeouts_read;        /* streams reset */
	uint64_t timeouts_write;
} h2srv_stats_t;

/* A process's counters where every process of the server can read them. */
typedef struct h2srv_stats_slot {
	_Alignas(64) h2srv_stats_t st;
	uint32_t worker;               /* the worker id it counts for */
	int32_t pid;                   /* 0: no live process writes it (its counts still add up) */
} h2srv_stats_slot_t;

/* Slots per worker id: a reload starts a new worker while the old one drains. */
#define H2SRV_STATS_SLOTS_PER_WORKER 4

/* The counters of every process of one server: with workers, shared memory mapped by the
 * supervisor before the fork; a slot belongs to one live process at a time, and a worker that
 * takes a slot over goes on counting from where the last one stopped, so every counter only
 * grows (as Prometheus expects) across restarts and reloads. */
typedef struct h2srv_stats_table {
	h2srv_stats_slot_t *slots;     /* NULL: this process alone, |own| */
	uint32_t n;
	uint32_t first_reactor;        /* ids from here on count for reactors (request dispatch) */
	h2srv_stats_slot_t own;
} h2srv_stats_table_t;

/* Points |*st| at the table's own slot (one process); returns nothing. */
void h2srv_stats_table_init(h2srv_stats_table_t *t, h2srv_stats_t **st);

/* Maps the shared slots for |ids| process ids, of which those from |first_reactor| on are
 * reactors; returns 0, or -1 (each process then counts only for itself). */
int h2srv_stats_table_share(h2srv_stats_table_t *t, uint32_t ids, uint32_t first_reactor);

/* Unmaps the shared slots, keeping their sums as this process's own (what stats() shows after
 * run() has returned). */
void h2srv_stats_table_free(h2srv_stats_table_t *t);

/* In the supervisor, before forking worker |worker|: a slot no live process writes, reserved;
 * NULL without shared slots or when none is free. */
h2srv_stats_slot_t *h2srv_stats_claim(h2srv_stats_table_t *t, uint32_t worker);

/* In the supervisor: the process |pid| is gone; its slot's gauges are zeroed and the slot is
 * free for the next worker of its id. */
void h2srv_stats_release(h2srv_stats_table_t *t, pid_t pid);

/* Fills |out| with the totals of every process, plus a "processes" list with each live
 * process's own; |self| and |self_pid| name the calling process. */
void h2srv_stats_array(const h2srv_stats_table_t *t, uint32_t self, zval *out);

/* The same counters in the Prometheus text exposition format (version 0.0.4), one sample per
 * worker id. */
zend_string *h2srv_stats_metrics(const h2srv_stats_table_t *t);

#endif

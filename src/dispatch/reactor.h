#ifndef H2SRV_DISPATCH_REACTOR_H
#define H2SRV_DISPATCH_REACTOR_H

#include <uv.h>
#include "transport.h"
#include "dispatch/region.h"

/* What the reactor keeps for one request it handed to the workers. */
typedef struct h2srv_ticket {
	h2srv_stream_t *s;             /* with a reference; NULL while the ticket is free */
	h2srv_tls_facts_t *tls;        /* the peer's, kept until the request is in a slot */
	zend_string *remote;
	uint32_t gen;                  /* bumped each time the ticket is freed */
	int32_t worker;                /* who took it, -1 before */
	uint32_t life;                 /* that worker's life when it took it */
	uint32_t slot;                 /* its slot until a worker copied it, or NO_SLOT */
	uint32_t next;                 /* the free list, or the waiting list */
	bool waiting;                  /* on the waiting list: no slot was free */
	bool carried;                  /* its body was spooled here only to fit the slots */
	bool answered;                 /* its headers were submitted */
	bool done;                     /* the worker sent all it will send */
	bool asked;                    /* a MORE went out and no DATA came back yet */
	bool pinned;                   /* its body is sent from where it lies in a ring */
	uint32_t owed_at;              /* a MORE that did not fit in the worker's inbox yet: its place
	                                * in the reactor's |owed| list + 1 (0: none owed) */
	uint32_t pending_at;           /* input (an early body, WebSocket messages) waits to go to the
	                                * worker (it has not taken the request yet, or its inbox is
	                                * full): its place in the |pending| list + 1, else 0 */
	bool end_sent;                 /* an early body's end went to the worker */
	uint32_t in_off;               /* bytes of the current WebSocket inbox entry sent */
	uint64_t ws_held;              /* WebSocket inbox bytes sent to the worker that its PHP has
	                                * not taken yet (CONSUMED): past H2SRV_WS_INBOX_HIGH the rest
	                                * waits here, and so does the peer */
	h2srv_buf_t ws_out;            /* a WebSocket message from the worker, until its last part */
	uint32_t pin_lane;
	uint64_t pin_seq;
} h2srv_ticket_t;

/* Tickets each loop turn looks at again, in no order, so that a turn visits those and not
 * every ticket (10,000 open WebSockets are 10,000 tickets). */
typedef struct h2srv_ticket_list {
	uint32_t *at;                  /* ticket numbers */
	uint32_t n, cap;
} h2srv_ticket_list_t;

/* A body sent from where it lies in a worker's ring: that part of the ring is not given back
 * until the stream is done with it. */
typedef struct h2srv_pin {
	uint64_t start, end;           /* the message's place in the ring */
	zend_string *body;             /* the string laid out in it */
	uint64_t at;                   /* loop time (ms) it was pinned */
	uint32_t ticket;
	bool released;
} h2srv_pin_t;

/* How far a reactor has read one worker's ring, and what of it is still referenced. */
typedef struct h2srv_reader {
	uint64_t rpos;                 /* the next message to apply */
	h2srv_pin_t *pins;             /* in ring order; NULL until the first */
	uint64_t first, next;          /* sequence numbers of the pins held: [first, next) */
} h2srv_reader_t;

/*
 * The PHP side of a reactor: the transport's side.h calls, answered through shared memory. A
 * complete request goes into a slot and onto the queue for any worker; what workers send back
 * is applied to the streams once per loop turn, before the emit passes; when a worker dies,
 * its requests are answered 500 (or reset, if their headers went out) and nothing else moves.
 */
typedef struct h2srv_reactor {
	h2srv_side_t side;             /* installed as the transport's side */
	h2srv_transport_t *t;
	h2srv_region_t *g;
	uint32_t id;
	h2srv_wake_t *wake;            /* this reactor's */
	h2srv_ticket_t *tickets;
	uint32_t ntickets;
	uint32_t free_ticket;          /* head of the free list, or NO_TICKET */
	uint32_t wait_head, wait_tail; /* tickets waiting for a slot, in order */
	uint32_t *free_small, nfree_small;
	uint32_t *free_big, nfree_big;
	uint32_t slots_out;            /* taken from the free lists and not given back */
	uint32_t slots_ahead;          /* at most that many (H2SRV_AHEAD_*) */
	uint8_t *inherited;            /* [all slots] left queued or taken by a predecessor that died:
	                                * counted in |slots_out| until a worker's TAKEN or its death
	                                * gives it back */
	uint32_t ninherited;
	uint64_t *inbox_pos;           /* [workers] our private tails of the inbox rings */
	uint32_t *unwoken;             /* workers given input since the loop turn began, woken once at
	                                * its end (not per message): [workers] */
	uint8_t *unwoken_set;          /* [workers] whether a worker is in |unwoken| */
	uint32_t nunwoken;
	h2srv_reader_t *readers;       /* [workers] */
	struct { uint64_t token; int fd; } *files; /* files received ahead of the messages naming them */
	uint32_t nfiles, cap_files;
	uint64_t deaths_seen;
	uint32_t queued;               /* entries queued since the workers were last woken */
	h2srv_ticket_list_t owed;      /* tickets with a MORE owed */
	h2srv_ticket_list_t pending;   /* tickets with input waiting for their worker */
	/* CLOSED notices a full inbox did not take: a WebSocket's worker must hear of its close */
	struct { uint32_t worker, ticket, gen; } *closed_owed;
	uint32_t nclosed_owed, cap_closed_owed;
	uint32_t epoch;                /* the first generation of every ticket of this reactor */
	uv_poll_t poll;                /* the eventfd */
	uv_prepare_t prepare;          /* about to sleep: say so, unless work came */
	uv_check_t check;              /* after the poll: apply what workers sent */
	uv_idle_t idle;                /* keeps the poll from blocking while work waits */
	uv_timer_t patience;           /* a worker waits for room that young bodies hold: when the
	                                * oldest of them may move */
	bool open;
	bool slept;                    /* its sleeping flag is set (prepare), not yet taken back */
} h2srv_reactor_t;

/* Makes |t|'s side the shared-memory one for reactor |id| of |g|; returns 0 or -1. */
int h2srv_reactor_start(h2srv_reactor_t *r, h2srv_transport_t *t, h2srv_region_t *g, uint32_t id);

/* Answers every request still held (the reactor is going) and closes its handles. */
void h2srv_reactor_stop(h2srv_reactor_t *r);

#endif

#ifndef H2SRV_DISPATCH_WORKER_H
#define H2SRV_DISPATCH_WORKER_H

#include <uv.h>
#include "php.h"
#include "answer.h"
#include "side.h"
#include "dispatch/region.h"

struct h2srv_binding;

/* What a worker does with what it takes: the server's handler call, its stream() producers,
 * and letting go of a response it kept (connection dispatch's side.h calls, in another shape). */
typedef struct h2srv_worker_calls {
	void (*serve)(void *ctx, h2srv_stream_t *s, const h2srv_peer_t *peer, const h2srv_answer_t *ops);
	void (*produce)(void *ctx, h2srv_stream_t *s);
	/* body bytes or WebSocket messages arrived for a request handed over early (side.h's input) */
	void (*input)(void *ctx, h2srv_stream_t *s);
	void (*closed)(void *ctx, h2srv_stream_t *s);
	/* A stopping worker holds no more requests. */
	void (*drained)(void *ctx);
} h2srv_worker_calls_t;

/*
 * A PHP worker of request dispatch: takes the next request from the shared queue whenever it is
 * free, copies it out of its slot, hands it to the handler, and sends what the Response does to
 * the reactor that owns the connection (h2srv_answer_t over shared memory). A response kept
 * past the handler (deferred, stream()) stays bound to this worker; others go on meanwhile.
 */
typedef struct h2srv_worker {
	h2srv_region_t *g;
	uint32_t id;
	h2srv_wake_t *wake;
	uint64_t *out_pos;             /* [reactors] our private tails of the response rings */
	uint64_t unwoken;              /* reactors written to and not yet woken, one bit each */
	uint32_t files_sent;           /* numbers the files sent to reactors */
	uint32_t next_queue;           /* the reactor whose queue is looked at first */
	uint32_t nlive;                /* requests taken and not yet finished */
	struct h2srv_binding *ready;   /* those the next work pass looks at (see worker.c) */
	struct h2srv_binding ***by_ticket; /* [reactors][ticket]: the live ones by their reactor's
	                                * ticket (a ticket reused while its old request is still
	                                * held here chains both) */
	uint32_t *nby_ticket;          /* [reactors] */
	const h2srv_worker_calls_t *calls;
	void *ctx;
	uv_poll_t poll;
	uv_prepare_t prepare;
	uv_idle_t idle;
	bool open;
	bool stopping;                 /* takes no new requests */
	bool busy;                     /* inside a work pass: no re-entry */
} h2srv_worker_t;

/* Starts taking requests on |loop| as worker |id| of |g|. */
void h2srv_worker_start(h2srv_worker_t *w, uv_loop_t *loop, h2srv_region_t *g, uint32_t id,
	const h2srv_worker_calls_t *calls, void *ctx);

/* Stops taking requests; the ones held finish (calls->drained once none is left). */
void h2srv_worker_stop(h2srv_worker_t *w);

/* Closes the handles; what is still held is failed by the reactors once this process is gone. */
void h2srv_worker_close(h2srv_worker_t *w);

#endif

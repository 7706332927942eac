#ifndef H2SRV_DUPLEX_H
#define H2SRV_DUPLEX_H

#include "response_obj.h"

struct h2srv_server;

/*
 * A response that stays open while its request is still arriving, or that pushes its body:
 * onBody() (bodies as they arrive), write() and onDrain(), and the WebSocket a handshake becomes.
 * What such a response keeps (callbacks, the socket) is allocated when first needed, so the
 * ordinary response pays one pointer for it.
 */
typedef struct h2srv_duplex {
	zval on_chunk, on_end, on_drain; /* UNDEF when unset */
	zend_fcall_info_cache chunk_fcc, end_fcc, drain_fcc;
	zend_object *ws;              /* acceptWebSocket()'s socket, NULL before */
	struct h2srv_server *srv;     /* the in-process side's server: NULL outside connection dispatch */
	bool drain_wanted;            /* write() said false: onDrain is owed */
	bool told_end;                /* onBody's end callback ran */
} h2srv_duplex_t;

/* The response's onDrain is owed and due (write()), or its WebSocket's (side.h's produce). */
void h2srv_duplex_produce(struct h2srv_server *srv, h2srv_response_t *r);

/* The stream closed: a WebSocket's last messages and its close go to its callbacks. */
void h2srv_duplex_closed(struct h2srv_server *srv, h2srv_response_t *r);

/* Adds what the GC must see (the callbacks, the socket) to |buf|. */
void h2srv_duplex_gc(h2srv_response_t *r, zend_get_gc_buffer *buf);

/* Frees it with its response. */
void h2srv_duplex_free(h2srv_response_t *r);

#endif

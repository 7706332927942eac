#ifndef H2SRV_WEBSOCKET_H
#define H2SRV_WEBSOCKET_H

#include "php.h"
#include "h2/stream.h"
#include "answer.h"

struct h2srv_server;

/* Sets up the registered H2srv\WebSocket class |ce|. */
void h2srv_websocket_minit(zend_class_entry *ce);

/* Makes the WebSocket object for the accepted stream |s| (taking a stream reference), which
 * talks to the socket through |ops|, and registers it with |srv| under its id for sendTo(). */
zend_object *h2srv_websocket_new(struct h2srv_server *srv, h2srv_stream_t *s, const h2srv_answer_t *ops);

/* Hands the socket's inbox (ws/socket.h) to its callbacks: each message to onMessage, the
 * close to onClose (after which the id is forgotten). Entries wait while no onMessage is set. */
void h2srv_websocket_input(struct h2srv_server *srv, zend_object *obj);

/* The bytes waiting to go fell low: onDrain, if a send() said false since the last one. */
void h2srv_websocket_drain(struct h2srv_server *srv, zend_object *obj);

/* sendTo(): the open socket |id| of this process gets a message; returns send()'s answer, or
 * false when there is no such socket here. */
bool h2srv_websocket_send_to(struct h2srv_server *srv, zend_string *id, zend_string *data, bool binary);

/* A message another worker's sendTo() sent for socket |serial| of this process. */
void h2srv_websocket_mail(void *ctx, uint64_t serial, bool binary, const char *p, size_t len);

/* A text message (|binary| false) must be UTF-8 (RFC 6455 §5.6): throws naming |who| and
 * returns FAILURE when it is not. */
zend_result h2srv_websocket_check_text(const char *who, const zend_string *data, bool binary);

/* The server is going: its sockets forget it (their ids no longer resolve). */
void h2srv_websocket_forget_all(struct h2srv_server *srv);

#endif

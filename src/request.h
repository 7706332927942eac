#ifndef H2SRV_REQUEST_H
#define H2SRV_REQUEST_H

#include "php.h"
#include "h2/stream.h"
#include "side.h"

/* Sets up the registered H2srv\Request class |ce| and the interned method names. */
void h2srv_request_minit(zend_class_entry *ce);

/* Makes the Request object for |s| (taking a stream reference) from |peer| (keeping its
 * address and a reference to its TLS facts). */
zend_object *h2srv_request_new(h2srv_stream_t *s, const h2srv_peer_t *peer);

/* Fills |out| with the request's trailers (name => value), as Request::trailers(). */
void h2srv_request_trailers(const h2srv_stream_t *s, zval *out);

/* The joined value of request header |lower| (a lower-case name), or NULL; the caller owns it. */
zend_string *h2srv_request_header(const h2srv_stream_t *s, const char *lower);

/* Whether |s| is a WebSocket handshake that can be accepted (Request::isWebSocket()). */
bool h2srv_request_is_websocket(const h2srv_stream_t *s);

#endif

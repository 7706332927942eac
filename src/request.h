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

#endif

#ifndef H2SRV_REQUEST_H
#define H2SRV_REQUEST_H

#include "php.h"
#include "h2/stream.h"

/* Sets up the registered H2srv\Request class |ce| and the interned method names. */
void h2srv_request_minit(zend_class_entry *ce);

/* Makes the Request object for |s| (taking a stream reference) with the peer's |remote| address. */
zend_object *h2srv_request_new(h2srv_stream_t *s, zend_string *remote);

#endif

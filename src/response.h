#ifndef H2SRV_RESPONSE_H
#define H2SRV_RESPONSE_H

#include "php.h"
#include "h2/stream.h"

/* Sets up the registered H2srv\Response class |ce|. */
void h2srv_response_minit(zend_class_entry *ce);

/* Makes the Response object for |s|, taking a stream reference. */
zend_object *h2srv_response_new(h2srv_stream_t *s);

/* Whether end() (or a failure answer) has been sent for this response. */
bool h2srv_response_ended(zend_object *obj);

/* Answers with |status| and an empty body unless already ended (the handler failed). */
void h2srv_response_fail(zend_object *obj, int status);

/* Calls the stream() producer of |s|'s response until the body has H2SRV_FED_HIGH bytes
 * waiting, ends, or the producer pauses (returns false); an exception resets the stream. */
void h2srv_response_produce(h2srv_stream_t *s);

#endif

#ifndef H2SRV_RESPONSE_H
#define H2SRV_RESPONSE_H

#include "php.h"
#include "h2/stream.h"
#include "answer.h"

struct h2srv_server;
struct h2srv_compress;
struct h2srv_stats;

/* Sets up the registered H2srv\Response class |ce|. */
void h2srv_response_minit(zend_class_entry *ce);

/* Makes the Response object for |s|, answering through |ops|, taking a stream reference. Once
 * submitted, a response the handler still holds is kept as the stream's side data until the
 * stream closes. */
zend_object *h2srv_response_new(h2srv_stream_t *s, const h2srv_answer_t *ops, const struct h2srv_compress *cz,
	struct h2srv_stats *stats);

/* Whether end() (or a failure answer) has been sent for this response. */
bool h2srv_response_ended(zend_object *obj);

/* Answers with |status| (0: the one the handler set) and an empty body unless already ended
 * (the handler failed). */
void h2srv_response_fail(zend_object *obj, int status);

/* Calls the stream() producer of |s|'s response until the body has H2SRV_FED_HIGH bytes
 * waiting, ends, or the producer pauses (returns false); an exception resets the stream.
 * The in-process side's answer to side.h's produce. */
void h2srv_response_produce(struct h2srv_server *srv, h2srv_stream_t *s);

/* |s| closed: lets go of the Response object kept as its side data (side.h's closed); a
 * WebSocket's last messages and its close are handed to its callbacks first (|srv| set). */
void h2srv_response_closed(struct h2srv_server *srv, h2srv_stream_t *s);

/* The request of |obj|'s stream was handed over early (H2SRV_STREAM_EARLY): the response is
 * kept as the stream's side data from now on, for onBody(), write() and acceptWebSocket(). */
void h2srv_response_early(zend_object *obj, struct h2srv_server *srv);

/* Request::onBody() on an EARLY stream: sets the callbacks (|end| may be NULL); FAILURE when
 * the stream was not handed over early. */
zend_result h2srv_response_on_body(h2srv_stream_t *s, zend_fcall_info *chunk, zend_fcall_info_cache *chunk_fcc,
	zend_fcall_info *end, zend_fcall_info_cache *end_fcc);

/* side.h's input: body bytes to onBody's callback (then its end), or a WebSocket's messages. */
void h2srv_response_input(struct h2srv_server *srv, h2srv_stream_t *s);

#endif

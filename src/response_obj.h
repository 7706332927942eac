#ifndef H2SRV_RESPONSE_OBJ_H
#define H2SRV_RESPONSE_OBJ_H

#include "php.h"
#include "answer.h"
#include "compress.h"
#include "stats.h"

/*
 * What an H2srv\Response is, for the two files that make one: response.c (headers, end(),
 * stream(), sendFile()) and duplex.c (write(), bodies as they arrive, WebSockets). Nothing else
 * includes this.
 */

struct h2srv_duplex;

typedef struct h2srv_response {
	h2srv_stream_t *s;
	const h2srv_answer_t *ops; /* where its parts go */
	zend_string **hdrs;   /* name, value, name, value… (names lower-case) */
	uint32_t nhdrs;       /* strings in |hdrs|: twice the header count */
	uint32_t cap_hdrs;
	zend_string **trailers; /* name, value, … for the trailing HEADERS */
	uint32_t ntrailers;
	uint32_t cap_trailers;
	zval producer;          /* stream(): called for the next chunk; UNDEF when done */
	zend_fcall_info_cache producer_fcc;
	uint16_t status;
	bool ended;
	bool streaming;         /* sent with stream() */
	bool paused;            /* the producer returned false: wait for resume() */
	bool no_compress;       /* compress(false) */
	bool writing;           /* sent with write(): the body is pushed, end() ends it */
	struct h2srv_duplex *duplex; /* onBody(), write()'s onDrain, a WebSocket (duplex.c); NULL
	                              * for the responses that use none of them */
	const h2srv_compress_t *cz; /* the server's compression option, NULL when off */
	h2srv_stats_t *stats;   /* this process's counters */
	h2srv_deflater_t *deflater; /* a stream() body being compressed */
	zend_object std;
} h2srv_response_t;

/* How the body goes out: end()'s string, stream()'s producer or sendFile()'s file. */
typedef struct body_source {
	zend_string *str; /* end(); ownership moves */
	int fd;           /* sendFile(), with |size|; ownership moves */
	int64_t size;
	bool fed;         /* stream() or sendFile() */
} body_source_t;

static inline h2srv_response_t *h2srv_response_from_obj(zend_object *obj)
{
	return (h2srv_response_t *)((char *)obj - XtOffsetOf(h2srv_response_t, std));
}

/* Adds a header (|name| lower-case) to those the response will send. */
void h2srv_response_add_header(h2srv_response_t *r, const char *name, size_t nlen, const char *value, size_t vlen);

/* Submits the response with body |b|; a live object (|keep|) is kept as the stream's side data
 * until the stream closes. */
void h2srv_response_send(h2srv_response_t *r, body_source_t *b, bool keep);

/* Appends a piece of a fed body (coded when compressed); returns whether to go on writing. */
bool h2srv_response_put(h2srv_response_t *r, const char *p, size_t n, bool last);

/* Drops the trailers the handler set and did not send. */
void h2srv_response_release_trailers(h2srv_response_t *r);

#endif

#ifndef H2SRV_CONDITIONAL_H
#define H2SRV_CONDITIONAL_H

#include "php.h"
#include <sys/stat.h>
#include "h2/stream.h"

/*
 * A file's validators and what a request's conditional and range fields ask of it
 * (RFC 9110 §8.8, §13, §14): shared by static mounts and Response::sendFile(). Pure functions of
 * the request's fields and the file's stat; no I/O.
 */

/* The validators of a file and the range answered, as header values. */
typedef struct h2srv_validators {
	char etag[48];                 /* strong: "mtime-size" in hex, as nginx makes them */
	size_t etag_len;
	char last_modified[40];        /* IMF-fixdate */
	size_t last_modified_len;
	char content_range[80];        /* "bytes a-b/size" (206) or "bytes * /size" (416) */
	size_t content_range_len;
} h2srv_validators_t;

/* What a file answers: 200, 206 (bytes [*from, *from + *len)), 304 or 416. */
int h2srv_conditional_answer(const h2srv_stream_t *s, const struct stat *sb, bool head, h2srv_validators_t *v,
	uint64_t *from, uint64_t *len);

/* The value of the request field |name| (lower case) of |s|, or NULL. */
const char *h2srv_request_field(const h2srv_stream_t *s, const char *name, size_t nlen, size_t *vlen);

#endif

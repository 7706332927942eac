#ifndef H2SRV_COMPRESS_H
#define H2SRV_COMPRESS_H

#include "php.h"
#include "h2/stream.h"

/*
 * Compression of PHP responses (option compression): the coding negotiated from the request's
 * Accept-Encoding (q-values, then the server's order), for compressible types and bodies of at
 * least min_size bytes; never for HEAD, 1xx, 204, 206, 304 or a response that already has a
 * content-encoding. end() bodies are compressed whole, stream() bodies chunk by chunk, each
 * flushed so that what was written can be decoded at once (server-sent events stay live).
 */

typedef enum {
	H2SRV_CODING_NONE = 0,
	H2SRV_CODING_GZIP,
	H2SRV_CODING_BR,
	H2SRV_CODING_ZSTD,
	H2SRV_CODINGS
} h2srv_coding_t;

#define H2SRV_COMPRESS_MIN_SIZE 1024     /* bytes; default compression_min_size */
#define H2SRV_COMPRESS_MAX_TYPES 32      /* entries of compression_types */

/* The options, resolved once. */
typedef struct h2srv_compress {
	h2srv_coding_t order[H2SRV_CODINGS]; /* offered, in preference order */
	uint32_t norder;                     /* 0: compression off */
	size_t min_size;
	int level[H2SRV_CODINGS];
	char *types[H2SRV_COMPRESS_MAX_TYPES]; /* a type ("application/json") or a family ("text/" "*"), lower case */
	uint32_t ntypes;
} h2srv_compress_t;

/* Counts bytes before and after compression (the process's stats). */
typedef struct h2srv_compress_stats {
	uint64_t in;
	uint64_t out;
} h2srv_compress_stats_t;

/* Sets the defaults: off, min_size, levels, the compressible types. */
void h2srv_compress_defaults(h2srv_compress_t *cz);

/* The coding a name means ("gzip", "br", "zstd"), or NONE. */
h2srv_coding_t h2srv_coding_of(const char *name, size_t len);

/* The name of coding |c| in content-encoding. */
const char *h2srv_coding_name(h2srv_coding_t c);

/* Whether a response of |content_type| is worth compressing. */
bool h2srv_compress_type(const h2srv_compress_t *cz, const char *content_type, size_t len);

/* The coding for the request on |s| (its Accept-Encoding), or NONE. */
h2srv_coding_t h2srv_compress_negotiate(const h2srv_compress_t *cz, const h2srv_stream_t *s);

/* Compresses all of |n| bytes; returns the coded bytes, or NULL when coding fails. */
zend_string *h2srv_compress_all(const h2srv_compress_t *cz, h2srv_coding_t c, const char *p, size_t n);

typedef struct h2srv_deflater h2srv_deflater_t;

/* A compressor for a body written in pieces; NULL when it cannot be made. */
h2srv_deflater_t *h2srv_deflater_new(const h2srv_compress_t *cz, h2srv_coding_t c);

/* Compresses |n| bytes and flushes them (|last|: and ends the stream); returns the coded
 * bytes to send (valid until the next call), or NULL on failure. */
const char *h2srv_deflater_write(h2srv_deflater_t *d, const char *p, size_t n, bool last, size_t *out_len);

void h2srv_deflater_free(h2srv_deflater_t *d);

/* Frees the option's strings. */
void h2srv_compress_free(h2srv_compress_t *cz);

#endif

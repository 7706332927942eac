#ifndef H2SRV_STATIC_H
#define H2SRV_STATIC_H

#include "php.h"
#include "h2/stream.h"

/*
 * Static files answered by the transport, without calling PHP (in either dispatch mode): a GET
 * or HEAD whose path lies under a mount and names a regular file there. Safe by construction:
 * a file is opened beneath the mount's directory by the kernel (openat2 RESOLVE_BENEATH: no
 * "..", no symlink out of it), dotfiles are left to the handler, and a path with an encoded NUL,
 * slash or backslash, or a ".." segment, is refused with 400. Validators (ETag, Last-Modified)
 * answer If-None-Match and If-Modified-Since with 304; one Range (with If-Range) is answered
 * 206, an unsatisfiable one 416; precompressed siblings (.br, .zst, .gz) go to clients that
 * accept them, with content-encoding and vary. What a path names (a file, a miss) is
 * remembered per process for H2SRV_STATIC_RECHECK_MS, and files up to H2SRV_STATIC_CACHE_BODY
 * are kept in memory and sent by reference, like an end() body: a hot file costs no syscall.
 */

#define H2SRV_STATIC_MAX_MOUNTS 16       /* entries of the static option */
#define H2SRV_STATIC_MAX_PATH 4096       /* bytes of a decoded path under a mount; longer: handler */
#define H2SRV_STATIC_CACHE_ENTRIES 4096  /* files and misses remembered per process; past it: forgotten */
#define H2SRV_STATIC_CACHE_BODY (128 * 1024) /* bytes; files up to this size are kept in memory */
#define H2SRV_STATIC_CACHE_BYTES (64 * 1024 * 1024) /* bytes of kept files per process */
#define H2SRV_STATIC_RECHECK_MS 1000     /* ms a remembered file is trusted before it is looked at again */

typedef struct h2srv_mount {
	char *prefix;                    /* URL prefix without a trailing slash ("" for "/") */
	size_t prefix_len;
	char *dir;                       /* the directory, as given */
	int dirfd;                       /* opened once (O_PATH); files are opened beneath it */
} h2srv_mount_t;

typedef struct h2srv_mime {
	char *ext;                       /* lower case, without the dot */
	char *type;
} h2srv_mime_t;

/* The static option, resolved once: mounts, the index setting and /etc/mime.types. */
typedef struct h2srv_static {
	h2srv_mount_t mounts[H2SRV_STATIC_MAX_MOUNTS];
	uint32_t nmounts;
	bool index;                      /* a directory is answered with its index.html */
	h2srv_mime_t *mime;              /* sorted by extension */
	uint32_t nmime;
	/* this process's open-file cache: "mount/path" => what was found there (static.c) */
	HashTable *cache;
	size_t cache_bytes;              /* file contents it keeps */
} h2srv_static_t;

/* Adds a mount of URL |prefix| (starting with "/") onto |dir|; returns NULL, or why not (the
 * caller throws, naming the entry). */
const char *h2srv_static_mount(h2srv_static_t *st, const char *prefix, size_t plen, const char *dir);

/* Loads the extension-to-type table from |path| (/etc/mime.types); a missing file leaves the
 * table empty (every file is application/octet-stream). */
void h2srv_static_load_types(h2srv_static_t *st, const char *path);

/* Answers |s| if its request is a GET or HEAD for a file under a mount (or one refused by the
 * rules above); returns false when the PHP side must answer it. */
bool h2srv_static_answer(h2srv_static_t *st, h2srv_stream_t *s);

/* Closes the mounts' directories and frees the tables. */
void h2srv_static_free(h2srv_static_t *st);

#endif

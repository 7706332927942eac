#ifndef H2SRV_LOG_H
#define H2SRV_LOG_H

#include "php.h"
#include "buf.h"

typedef enum {
	H2SRV_LOG_ERROR = 0, /* handler exceptions and dropped responses, worker deaths, failed reloads */
	H2SRV_LOG_WARN = 1,  /* shutdown gave up on connections, workers killed at a stop or recycled */
	H2SRV_LOG_INFO = 2,  /* peers: failed TLS handshakes */
	H2SRV_LOG_DEBUG = 3
} h2srv_log_level_t;

#define H2SRV_LOG_MAX_BUFFER (1024 * 1024) /* bytes a log holds for a slow sink; past it lines are dropped */

/*
 * A log the loop writes without waiting: lines gather in a buffer that the server flushes once
 * per loop turn (and at once while no loop runs). A sink that cannot keep up (a full pipe)
 * loses lines past H2SRV_LOG_MAX_BUFFER, counted in |dropped|, never loop time.
 */
typedef struct h2srv_log {
	int fd;               /* -1: off */
	bool own;             /* opened here, closed by h2srv_log_close() */
	bool buffered;        /* a loop runs and flushes; otherwise each line is written at once */
	h2srv_buf_t buf;
	uint64_t dropped;
} h2srv_log_t;

/* Opens |where| ("stderr" or a file path, appended to); returns 0, or -1 with |why| filled. */
int h2srv_log_open(h2srv_log_t *l, const char *where, char *why, size_t whylen);

/* Appends one line: an ISO 8601 UTC timestamp, then |fmt| (no trailing newline needed). */
void h2srv_log_line(h2srv_log_t *l, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);

/* Writes what the sink takes now, keeping the rest for the next flush. */
void h2srv_log_flush(h2srv_log_t *l);

/* Flushes what it can and closes a file it opened. */
void h2srv_log_close(h2srv_log_t *l);

/* Routes h2srv_log() to |l| for lines at |level| or more severe; NULL: straight to stderr. */
void h2srv_log_use(h2srv_log_t *l, h2srv_log_level_t level);

/* Writes a line to the error log in use when |level| is enabled. */
void h2srv_log(h2srv_log_level_t level, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);

/* Parses "error", "warn", "info" or "debug"; returns the level or -1. */
int h2srv_log_level_parse(const char *name);

#endif

#include "php.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <time.h>
#ifndef PHP_WIN32
#include <unistd.h>
#endif
#include "log.h"

/* php.h maps these to PHP's own formatter, which strlen()s a "%.*s" argument before applying
 * the precision: it would read past the unterminated header fields we log. libc's stops. */
#undef snprintf
#undef vsnprintf

static const char *const level_names[] = {"error", "warn", "info", "debug"};

static h2srv_log_t *error_log;                 /* NULL: stderr, unbuffered */
static h2srv_log_level_t error_level = H2SRV_LOG_WARN;

int h2srv_log_open(h2srv_log_t *l, const char *where, char *why, size_t whylen)
{
	memset(l, 0, sizeof(*l));
	if (strcmp(where, "stderr") == 0) {
		l->fd = 2;
		return 0;
	}
	l->fd = open(where, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		snprintf(why, whylen, "cannot open log file \"%s\": %s", where, strerror(errno));
		return -1;
	}
	l->own = true;
	return 0;
}

static size_t timestamp(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	return (size_t)snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

static void vline(h2srv_log_t *l, const char *prefix, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n = timestamp(line, sizeof(line));
	int m;

	if (prefix) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s", prefix);
	}
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = MIN(n + (m > 0 ? (size_t)m : 0), sizeof(line) - 2);
	line[n++] = '\n';
	if (l->buf.len + n > H2SRV_LOG_MAX_BUFFER) {
		l->dropped++;
		return;
	}
	h2srv_buf_append(&l->buf, line, n);
	if (!l->buffered) {
		h2srv_log_flush(l);
	}
}

void h2srv_log_line(h2srv_log_t *l, const char *fmt, ...)
{
	va_list ap;

	if (l->fd < 0) {
		return;
	}
	va_start(ap, fmt);
	vline(l, NULL, fmt, ap);
	va_end(ap);
}

void h2srv_log_flush(h2srv_log_t *l)
{
	size_t off = 0;

	while (off < l->buf.len) {
		ssize_t n = write(l->fd, l->buf.data + off, l->buf.len - off);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break; /* EAGAIN on a full pipe: the rest waits for the next flush */
		}
		off += (size_t)n;
	}
	h2srv_buf_consume(&l->buf, off);
}

void h2srv_log_close(h2srv_log_t *l)
{
	if (l->fd >= 0) {
		h2srv_log_flush(l);
		if (l->own) {
			close(l->fd);
		}
	}
	if (error_log == l) {
		error_log = NULL;
	}
	h2srv_buf_free(&l->buf);
	l->fd = -1;
}

void h2srv_log_use(h2srv_log_t *l, h2srv_log_level_t level)
{
	error_log = l;
	error_level = level;
}

void h2srv_log(h2srv_log_level_t level, const char *fmt, ...)
{
	char prefix[32];
	va_list ap;

	if (level > error_level) {
		return;
	}
	snprintf(prefix, sizeof(prefix), "%s h2srv: ", level_names[level]);
	va_start(ap, fmt);
	if (error_log && error_log->fd >= 0) {
		vline(error_log, prefix, fmt, ap);
	} else if (!error_log) {
		h2srv_log_t tmp = {.fd = 2};
		vline(&tmp, prefix, fmt, ap);
		h2srv_buf_free(&tmp.buf);
	}
	va_end(ap);
}

int h2srv_log_level_parse(const char *name)
{
	for (int i = 0; i < (int)(sizeof(level_names) / sizeof(level_names[0])); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			return i;
		}
	}
	return -1;
}

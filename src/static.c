#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "php.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#endif
#include "static.h"
#include "conditional.h"
#include "proto.h"

/* ---- setup ------------------------------------------------------------------------------------ */

const char *h2srv_static_mount(h2srv_static_t *st, const char *prefix, size_t plen, const char *dir)
{
	h2srv_mount_t *m;
	int fd;

	if (st->nmounts == H2SRV_STATIC_MAX_MOUNTS) {
		return "too many mounts";
	}
	if (plen == 0 || prefix[0] != '/' || memchr(prefix, '\0', plen) || memchr(prefix, '?', plen)) {
		return "its URL prefix must start with \"/\"";
	}
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		return strerror(errno);
	}
	while (plen > 1 && prefix[plen - 1] == '/') {
		plen--;
	}
	if (plen == 1) {
		plen = 0; /* "/": every path */
	}
	m = &st->mounts[st->nmounts++];
	m->prefix = pestrndup(prefix, plen, 1);
	m->prefix_len = plen;
	m->dir = pestrdup(dir, 1);
	m->dirfd = fd;
	return NULL;
}

static int by_ext(const void *a, const void *b)
{
	return strcmp(((const h2srv_mime_t *)a)->ext, ((const h2srv_mime_t *)b)->ext);
}

void h2srv_static_load_types(h2srv_static_t *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	uint32_t cap = 0;

	if (!f) {
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *type = strtok_r(line, " \t\r\n", &save), *ext;

		if (!type || type[0] == '#') {
			continue;
		}
		while ((ext = strtok_r(NULL, " \t\r\n", &save))) {
			if (st->nmime == cap) {
				cap = cap ? cap * 2 : 1024;
				st->mime = perealloc(st->mime, cap * sizeof(*st->mime), 1);
			}
			zend_str_tolower(ext, strlen(ext));
			st->mime[st->nmime].ext = pestrdup(ext, 1);
			st->mime[st->nmime].type = pestrdup(type, 1);
			st->nmime++;
		}
	}
	fclose(f);
	if (st->nmime) {
		qsort(st->mime, st->nmime, sizeof(*st->mime), by_ext);
	}
}

void h2srv_static_free(h2srv_static_t *st)
{
	if (st->cache) {
		zend_hash_destroy(st->cache);
		pefree(st->cache, 1);
		st->cache = NULL;
	}
	for (uint32_t i = 0; i < st->nmounts; i++) {
		close(st->mounts[i].dirfd);
		pefree(st->mounts[i].prefix, 1);
		pefree(st->mounts[i].dir, 1);
	}
	for (uint32_t i = 0; i < st->nmime; i++) {
		pefree(st->mime[i].ext, 1);
		pefree(st->mime[i].type, 1);
	}
	if (st->mime) {
		pefree(st->mime, 1);
	}
	memset(st, 0, sizeof(*st));
}

/* ---- one request ------------------------------------------------------------------------------ */

#define REFUSE (-1)     /* decode(): answered 400 */
#define TO_HANDLER (-2) /* decode(): the PHP side answers */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The path under a mount (|p|, |n| bytes, no query) decoded into |out| as a relative path:
 * returns its length (0: the mount's own directory), TO_HANDLER for a path the handler
 * gets (a dotfile, too long), or REFUSE. Empty and "." segments are dropped. */
static ssize_t decode(const char *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, seg = 0; /* where the current segment began in |out| */

	for (size_t i = 0; i <= n; i++) {
		char c;

		if (i == n || p[i] == '/') {
			size_t len = o - seg;
			if (len == 2 && out[seg] == '.' && out[seg + 1] == '.') {
				return REFUSE;
			}
			if (len == 0 || (len == 1 && out[seg] == '.')) {
				o = seg; /* dropped */
			} else if (out[seg] == '.') {
				return TO_HANDLER; /* a dotfile, or a dot directory: not served */
			} else if (i < n) {
				if (o + 1 >= cap) {
					return TO_HANDLER;
				}
				out[o++] = '/';
			}
			seg = o;
			continue;
		}
		c = p[i];
		if (c == '%') {
			int hi = i + 2 < n ? hexval(p[i + 1]) : -1, lo = i + 2 < n ? hexval(p[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				return REFUSE;
			}
			c = (char)(hi << 4 | lo);
			if (c == '\0' || c == '/' || c == '\\') {
				return REFUSE; /* an encoded NUL, slash or backslash */
			}
			i += 2;
		}
		if (o + 1 >= cap) {
			return TO_HANDLER;
		}
		out[o++] = c;
	}
	if (o && out[o - 1] == '/') {
		o--;
	}
	out[o] = '\0';
	return (ssize_t)o;
}

/* Opens |rel| beneath |dirfd| for reading; the kernel refuses ".." and symlinks out of it
 * (EXDEV). Returns the fd, or -1 with errno. */
static int open_beneath(int dirfd, const char *rel)
{
#if defined(HAVE_LINUX_OPENAT2_H) && defined(SYS_openat2)
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dirfd, rel[0] ? rel : ".", &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS) {
		return fd;
	}
#endif
	{
		/* Kernels before 5.6: open, then check where the file really is. */
		char self[64], real[PATH_MAX], base[PATH_MAX];
		ssize_t n, b;
		int fd = openat(dirfd, rel[0] ? rel : ".", O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0) {
			return -1;
		}
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		n = readlink(self, real, sizeof(real) - 1);
		snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
		b = readlink(self, base, sizeof(base) - 1);
		if (n < 0 || b < 0 || n < b || memcmp(real, base, (size_t)b) != 0 || (n > b && real[b] != '/')) {
			close(fd);
			errno = EXDEV;
			return -1;
		}
		return fd;
	}
}

/* Whether the client accepts content coding |enc| (RFC 9110 §12.5.3: listed, or "*", with q > 0). */
static bool accepts(const char *v, size_t n, const char *enc, size_t elen)
{
	size_t i = 0;
	bool star = false;

	while (i < n) {
		size_t s, e, q;
		bool zero = false;

		while (i < n && (v[i] == ' ' || v[i] == ',' || v[i] == '\t')) {
			i++;
		}
		s = i;
		while (i < n && v[i] != ',' && v[i] != ';' && v[i] != ' ') {
			i++;
		}
		e = i;
		while (i < n && v[i] != ',') {
			if (v[i] == 'q' && i + 1 < n && v[i + 1] == '=') {
				q = i + 2;
				zero = q < n && v[q] == '0';
				for (q++; zero && q < n && v[q] != ',' && v[q] != ' ' && v[q] != ';'; q++) {
					zero = v[q] == '0' || v[q] == '.';
				}
			}
			i++;
		}
		if (e - s == elen && strncasecmp(v + s, enc, elen) == 0) {
			return !zero;
		}
		if (e - s == 1 && v[s] == '*') {
			star = !zero;
		}
	}
	return star;
}

static const char *type_of(const h2srv_static_t *st, const char *rel, size_t len)
{
	const char *slash = memrchr(rel, '/', len), *dot = memrchr(rel, '.', len);
	char ext[32];
	h2srv_mime_t key = {ext, NULL}, *hit;
	size_t n;

	if (!dot || (slash && dot < slash) || (n = len - (size_t)(dot + 1 - rel)) == 0 || n >= sizeof(ext)) {
		return "application/octet-stream";
	}
	for (size_t i = 0; i < n; i++) {
		ext[i] = (char)tolower((unsigned char)dot[1 + i]);
	}
	ext[n] = '\0';
	hit = st->nmime ? bsearch(&key, st->mime, st->nmime, sizeof(*st->mime), by_ext) : NULL;
	return hit ? hit->type : "application/octet-stream";
}

/* ---- the open-file cache ------------------------------------------------------------------- */

/* One file (or miss) of a mount as last seen: trusted for H2SRV_STATIC_RECHECK_MS. */
typedef struct cached {
	uint64_t checked;            /* loop time (ms) it was last looked at */
	int err;                     /* 0: a regular file; else why not (ENOENT, EISDIR, ENOTSUP, EXDEV…) */
	struct stat sb;
	zend_string *body;           /* persistent: the content of a file up to H2SRV_STATIC_CACHE_BODY */
} cached_t;

/* A file about to be answered: its stat, and its content kept in memory or an open fd. */
typedef struct file {
	struct stat sb;
	zend_string *body;           /* a reference for the response, or NULL */
	int fd;                      /* open when there is no body */
} file_t;

static void drop_cached(zval *zv)
{
	cached_t *c = Z_PTR_P(zv);

	if (c->body) {
		zend_string_release(c->body);
	}
	pefree(c, 1);
}

/* Opens |rel| and reads what the cache keeps of it into |c|; returns the fd when the file is
 * too large to keep (the caller serves from it), else -1. */
static int look(h2srv_static_t *st, const h2srv_mount_t *m, const char *rel, cached_t *c)
{
	int fd = open_beneath(m->dirfd, rel);

	c->err = 0;
	if (c->body) {
		zend_string_release(c->body);
		c->body = NULL;
	}
	if (fd < 0) {
		c->err = errno;
		return -1;
	}
	if (fstat(fd, &c->sb) != 0) {
		c->err = errno;
	} else if (S_ISDIR(c->sb.st_mode)) {
		c->err = EISDIR;
	} else if (!S_ISREG(c->sb.st_mode)) {
		c->err = ENOTSUP;
	}
	if (c->err) {
		close(fd);
		return -1;
	}
	if (c->sb.st_size > H2SRV_STATIC_CACHE_BODY || st->cache_bytes + (size_t)c->sb.st_size > H2SRV_STATIC_CACHE_BYTES) {
		return fd;
	}
	c->body = zend_string_alloc((size_t)c->sb.st_size, 1);
	for (size_t got = 0; got < ZSTR_LEN(c->body);) {
		ssize_t n = pread(fd, ZSTR_VAL(c->body) + got, ZSTR_LEN(c->body) - got, (off_t)got);
		if (n <= 0) { /* shrunk while read: serve it from its fd this time */
			zend_string_release(c->body);
			c->body = NULL;
			lseek(fd, 0, SEEK_SET);
			return fd;
		}
		got += (size_t)n;
	}
	ZSTR_VAL(c->body)[ZSTR_LEN(c->body)] = '\0';
	st->cache_bytes += ZSTR_LEN(c->body);
	close(fd);
	return -1;
}

/* File |rel| of mount |m| at loop time |now|: from the cache while it is fresh, else looked at
 * again. Returns 0 with |f| filled, or an errno (EISDIR for a directory, ENOTSUP for neither a
 * file nor a directory, EXDEV or ELOOP for a path that leads out of the mount). */
static int file_get(h2srv_static_t *st, const h2srv_mount_t *m, const char *rel, size_t rlen, uint64_t now, file_t *f)
{
	char key[H2SRV_STATIC_MAX_PATH + 24];
	size_t klen = (size_t)snprintf(key, sizeof(key), "%u/", (unsigned)(m - st->mounts));
	cached_t *c;
	int fd;

	memcpy(key + klen, rel, rlen);
	klen += rlen;
	if (!st->cache) {
		st->cache = pemalloc(sizeof(HashTable), 1);
		zend_hash_init(st->cache, 64, NULL, drop_cached, 1);
	}
	c = zend_hash_str_find_ptr(st->cache, key, klen);
	if (!c) {
		if (zend_hash_num_elements(st->cache) >= H2SRV_STATIC_CACHE_ENTRIES) {
			zend_hash_clean(st->cache); /* a flood of distinct paths: start over, bounded */
			st->cache_bytes = 0;
		}
		c = pecalloc(1, sizeof(*c), 1);
		zend_hash_str_add_new_ptr(st->cache, key, klen, c);
	} else if (now - c->checked < H2SRV_STATIC_RECHECK_MS) {
		if (c->err) {
			return c->err;
		}
		f->sb = c->sb;
		if (c->body) {
			f->body = zend_string_copy(c->body);
			f->fd = -1;
			return 0;
		}
		/* Too large to keep: opened again, and its stat taken again, so that a file changed
		 * within the interval is sent whole with its own length. */
		f->body = NULL;
		if ((f->fd = open_beneath(m->dirfd, rel)) < 0) {
			return errno;
		}
		if (fstat(f->fd, &f->sb) != 0 || !S_ISREG(f->sb.st_mode)) {
			close(f->fd);
			f->fd = -1;
			return ENOTSUP;
		}
		return 0;
	}
	if (c->body) {
		st->cache_bytes -= ZSTR_LEN(c->body);
	}
	c->checked = now;
	fd = look(st, m, rel, c);
	if (c->err) {
		return c->err;
	}
	f->sb = c->sb;
	f->body = c->body ? zend_string_copy(c->body) : NULL;
	f->fd = fd;
	return 0;
}

static void file_done(file_t *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->body) {
		zend_string_release(f->body);
		f->body = NULL;
	}
}

#define NV(name, value, vlen) \
	(nghttp2_nv){(uint8_t *)(name), (uint8_t *)(value), sizeof(name) - 1, (vlen), NGHTTP2_NV_FLAG_NO_COPY_NAME}

/* The precompressed siblings a client may get, in the server's order of preference. */
static const struct {
	const char *suffix;
	const char *coding;
} siblings[] = {{".br", "br"}, {".zst", "zstd"}, {".gz", "gzip"}};

bool h2srv_static_answer(h2srv_static_t *st, h2srv_stream_t *s)
{
	const char *path, *q, *v, *type, *coding = NULL;
	const h2srv_mount_t *m = NULL;
	char rel[H2SRV_STATIC_MAX_PATH + 16];
	h2srv_validators_t val;
	size_t plen, vlen, best = 0;
	ssize_t rlen;
	file_t f;
	nghttp2_nv nv[8];
	size_t n = 0;
	int err, status;
	uint64_t from = 0, len = 0;
	bool vary = false, head;

	if (s->f_method == H2SRV_FIELD_NONE || s->f_path == H2SRV_FIELD_NONE) {
		return false;
	}
	v = h2srv_field_value(s, s->f_method);
	vlen = s->fields[s->f_method].value_len;
	head = vlen == 4 && memcmp(v, "HEAD", 4) == 0;
	if (!head && !(vlen == 3 && memcmp(v, "GET", 3) == 0)) {
		return false;
	}
	path = h2srv_field_value(s, s->f_path);
	plen = s->fields[s->f_path].value_len;
	if ((q = memchr(path, '?', plen))) {
		plen = (size_t)(q - path);
	}
	/* The longest prefix that matches whole segments. */
	for (uint32_t i = 0; i < st->nmounts; i++) {
		const h2srv_mount_t *c = &st->mounts[i];
		if (plen >= c->prefix_len && memcmp(path, c->prefix, c->prefix_len) == 0
			&& (plen == c->prefix_len || path[c->prefix_len] == '/') && (!m || c->prefix_len > best)) {
			m = c;
			best = c->prefix_len;
		}
	}
	if (!m) {
		return false;
	}
	rlen = decode(path + m->prefix_len, plen - m->prefix_len, rel, H2SRV_STATIC_MAX_PATH);
	if (rlen == REFUSE) {
		h2srv_proto_respond(s, 400, NULL, 0, NULL);
		return true;
	}
	if (rlen < 0) {
		return false;
	}
	err = file_get(st, m, rel, (size_t)rlen, s->started, &f);
	if (err == EISDIR) {
		if (!st->index || (size_t)rlen + 12 > H2SRV_STATIC_MAX_PATH) {
			return false;
		}
		if (plen == 0 || path[plen - 1] != '/') {
			/* The index's relative links resolve against the directory only with its slash. */
			char loc[H2SRV_STATIC_MAX_PATH + 16];
			size_t full = s->fields[s->f_path].value_len;
			if (full + 2 > sizeof(loc)) {
				return false;
			}
			memcpy(loc, path, plen);
			loc[plen] = '/';
			memcpy(loc + plen + 1, path + plen, full - plen);
			nv[0] = NV("location", loc, full + 1);
			h2srv_proto_respond(s, 301, nv, 1, NULL);
			return true;
		}
		memcpy(rel + rlen, rlen ? "/index.html" : "index.html", rlen ? 12 : 11);
		rlen += rlen ? 11 : 10;
		err = file_get(st, m, rel, (size_t)rlen, s->started, &f);
	}
	if (err == EXDEV || err == ELOOP) {
		h2srv_proto_respond(s, 404, NULL, 0, NULL); /* out of the directory: never served */
		return true;
	}
	if (err) {
		return false;
	}
	type = type_of(st, rel, (size_t)rlen);
	nv[n++] = NV("content-type", type, strlen(type));
	/* A precompressed sibling, for a client that takes its coding. */
	if ((v = h2srv_request_field(s, "accept-encoding", 15, &vlen))) {
		for (size_t i = 0; i < sizeof(siblings) / sizeof(siblings[0]) && !coding; i++) {
			size_t slen = strlen(siblings[i].suffix);
			file_t cf;

			if (!accepts(v, vlen, siblings[i].coding, strlen(siblings[i].coding))) {
				continue;
			}
			memcpy(rel + rlen, siblings[i].suffix, slen + 1);
			err = file_get(st, m, rel, (size_t)rlen + slen, s->started, &cf);
			rel[rlen] = '\0';
			if (err == 0) {
				file_done(&f);
				f = cf;
				coding = siblings[i].coding;
				vary = true;
			}
		}
	}
	if (coding) {
		nv[n++] = NV("content-encoding", coding, strlen(coding));
	}
	if (vary) {
		nv[n++] = NV("vary", "accept-encoding", 15);
	}
	status = h2srv_conditional_answer(s, &f.sb, head, &val, &from, &len);
	nv[n++] = NV("etag", val.etag, val.etag_len);
	nv[n++] = NV("last-modified", val.last_modified, val.last_modified_len);
	if (status == 304) {
		file_done(&f);
		h2srv_proto_respond(s, 304, nv + 1, n - 1, NULL); /* no content-type: no body */
		return true;
	}
	nv[n++] = NV("accept-ranges", "bytes", 5);
	if (val.content_range_len) {
		nv[n++] = NV("content-range", val.content_range, val.content_range_len);
	}
	if (status == 416) {
		file_done(&f);
		h2srv_proto_respond(s, 416, nv, n, NULL);
		return true;
	}
	if (f.body) {
		/* Kept in memory: the body goes by reference, as an end() body does. */
		zend_string *body = status == 206 ? zend_string_init(ZSTR_VAL(f.body) + from, (size_t)len, 0) : f.body;
		if (body != f.body) {
			zend_string_release(f.body);
		}
		h2srv_proto_respond(s, status, nv, n, body);
		return true;
	}
	if (from && lseek(f.fd, (off_t)from, SEEK_SET) != (off_t)from) {
		file_done(&f);
		return false;
	}
	h2srv_proto_respond_fed(s, status, nv, n, f.fd, (int64_t)len);
	return true;
}

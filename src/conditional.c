#include "php.h"
#include "conditional.h"

const char *h2srv_request_field(const h2srv_stream_t *s, const char *name, size_t nlen, size_t *vlen)
{
	uint32_t end = s->f_trailers == H2SRV_FIELD_NONE ? s->nfields : s->f_trailers;

	for (uint32_t i = 0; i < end; i++) {
		if (s->fields[i].name_len == nlen && memcmp(h2srv_field_name(s, i), name, nlen) == 0) {
			*vlen = s->fields[i].value_len;
			return h2srv_field_value(s, i);
		}
	}
	return NULL;
}


static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* An IMF-fixdate (RFC 9110 §5.6.7), whatever the process's locale. */
static size_t http_date(time_t t, char *out, size_t cap)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	return (size_t)snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* An IMF-fixdate back to a time, or -1. */
static time_t parse_date(const char *v, size_t n)
{
	char buf[40], mon[4];
	struct tm tm;
	int d, y, h, mi, s;

	if (n < 29 || n >= sizeof(buf)) {
		return -1;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (sscanf(buf + 5, "%2d %3s %4d %2d:%2d:%2d GMT", &d, mon, &y, &h, &mi, &s) != 6) {
		return -1;
	}
	for (tm.tm_mon = 0; tm.tm_mon < 12 && strcmp(months[tm.tm_mon], mon) != 0; tm.tm_mon++) {
	}
	if (tm.tm_mon == 12) {
		return -1;
	}
	tm.tm_mday = d;
	tm.tm_year = y - 1900;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* Whether If-None-Match's list |v| holds |etag| (weak comparison), or is "*". */
static bool etag_listed(const char *v, size_t n, const char *etag, size_t elen)
{
	for (size_t i = 0; i < n;) {
		size_t s;

		while (i < n && (v[i] == ' ' || v[i] == ',' || v[i] == '\t')) {
			i++;
		}
		if (i < n && v[i] == '*') {
			return true;
		}
		if (i + 1 < n && v[i] == 'W' && v[i + 1] == '/') {
			i += 2;
		}
		s = i;
		while (i < n && v[i] != ',') {
			i++;
		}
		while (i > s && v[i - 1] == ' ') {
			i--;
		}
		if (i - s == elen && memcmp(v + s, etag, elen) == 0) {
			return true;
		}
		while (i < n && v[i] != ',') {
			i++;
		}
	}
	return false;
}

/* One "bytes=" range of a |size|-byte file: 1 with [*from, *to] set, 0 when the whole file goes
 * (no range, several, or not understood), -1 when unsatisfiable (416). */
static int range_of(const char *v, size_t n, uint64_t size, uint64_t *from, uint64_t *to)
{
	uint64_t a = 0, b = 0;
	size_t i = 6;
	bool has_a = false, has_b = false;

	if (n < 7 || memcmp(v, "bytes=", 6) != 0 || memchr(v, ',', n)) {
		return 0;
	}
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, has_a = true) {
		if (a > UINT64_MAX / 10 - 10) {
			return 0;
		}
		a = a * 10 + (uint64_t)(v[i] - '0');
	}
	if (i == n || v[i++] != '-') {
		return 0;
	}
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, has_b = true) {
		if (b > UINT64_MAX / 10 - 10) {
			b = UINT64_MAX / 2;
			continue;
		}
		b = b * 10 + (uint64_t)(v[i] - '0');
	}
	if (i != n || (!has_a && !has_b)) {
		return 0;
	}
	if (!has_a) { /* the last b bytes */
		if (b == 0 || size == 0) {
			return -1;
		}
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	if (a >= size || (has_b && b < a)) {
		return has_b && b < a ? 0 : -1;
	}
	*from = a;
	*to = has_b && b < size ? b : size - 1;
	return 1;
}


int h2srv_conditional_answer(const h2srv_stream_t *s, const struct stat *sb, bool head, h2srv_validators_t *v,
	uint64_t *from, uint64_t *len)
{
	const char *f, *ir;
	size_t flen, irlen;
	uint64_t a = 0, b = 0, size = (uint64_t)sb->st_size;
	int r;

	v->etag_len = (size_t)snprintf(v->etag, sizeof(v->etag), "\"%" PRIx64 "-%" PRIx64 "\"",
		(uint64_t)sb->st_mtime, size);
	v->last_modified_len = http_date(sb->st_mtime, v->last_modified, sizeof(v->last_modified));
	v->content_range_len = 0;
	*from = 0;
	*len = size;
	/* §13.2.2: If-None-Match first; If-Modified-Since only without it. */
	if ((f = h2srv_request_field(s, "if-none-match", 13, &flen))) {
		if (etag_listed(f, flen, v->etag, v->etag_len)) {
			return 304;
		}
	} else if ((f = h2srv_request_field(s, "if-modified-since", 17, &flen))) {
		time_t since = parse_date(f, flen);
		if (since >= 0 && sb->st_mtime <= since) {
			return 304;
		}
	}
	if (head || !(f = h2srv_request_field(s, "range", 5, &flen))) {
		return 200;
	}
	/* If-Range: the range holds only for the representation it names (a strong validator). */
	if ((ir = h2srv_request_field(s, "if-range", 8, &irlen))
		&& !(irlen == v->etag_len && memcmp(ir, v->etag, irlen) == 0)
		&& !(irlen && ir[0] != '"' && ir[0] != 'W' && parse_date(ir, irlen) == sb->st_mtime)) {
		return 200;
	}
	r = range_of(f, flen, size, &a, &b);
	if (r < 0) {
		v->content_range_len = (size_t)snprintf(v->content_range, sizeof(v->content_range), "bytes */%" PRIu64, size);
		return 416;
	}
	if (r == 0) {
		return 200;
	}
	v->content_range_len = (size_t)snprintf(v->content_range, sizeof(v->content_range),
		"bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, a, b, size);
	*from = a;
	*len = b - a + 1;
	return 206;
}

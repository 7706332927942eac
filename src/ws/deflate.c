#include "php.h"
#include "ws/deflate.h"

static z_stream *deflaters[16];    /* per process, by window bits: no context is kept */
static z_stream *shared_inflater;  /* per process: clients with client_no_context_takeover */
static const uint8_t tail[4] = {0x00, 0x00, 0xff, 0xff}; /* §7.2.1: taken off, put back */

/* One parameter of an offer, spaces trimmed: |name| and, after '=', |value| (quotes dropped). */
static bool param_is(const char *p, size_t n, const char *name)
{
	size_t l = strlen(name);
	return n >= l && strncasecmp(p, name, l) == 0 && (n == l || p[l] == '=' || p[l] == ' ');
}

static int param_bits(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	char v[4];
	size_t vl;

	if (!eq) {
		return 0; /* no value */
	}
	eq++;
	while (eq < p + n && (*eq == ' ' || *eq == '"')) {
		eq++;
	}
	vl = 0;
	while (eq + vl < p + n && eq[vl] >= '0' && eq[vl] <= '9' && vl < 3) {
		v[vl] = eq[vl];
		vl++;
	}
	v[vl] = '\0';
	return vl ? atoi(v) : -1;
}

/* Takes one offer (between commas); returns whether it is permessage-deflate and acceptable. */
static bool take_offer(const char *p, size_t n, h2srv_ws_deflate_t *d, bool *client_bits_asked, int *server_bits_asked)
{
	const char *end = p + n;
	bool first = true;

	d->client_bits = 15;
	d->server_bits = 15;
	d->client_no_takeover = false;
	*client_bits_asked = false;
	*server_bits_asked = 0;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *stop = semi ? semi : end, *a = p, *b = stop;
		while (a < b && (*a == ' ' || *a == '\t')) {
			a++;
		}
		while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (first) {
			if ((size_t)(b - a) != 18 || strncasecmp(a, "permessage-deflate", 18) != 0) {
				return false;
			}
			first = false;
		} else if (param_is(a, (size_t)(b - a), "server_no_context_takeover")) {
			/* ours anyway */
		} else if (param_is(a, (size_t)(b - a), "client_no_context_takeover")) {
			d->client_no_takeover = true;
		} else if (param_is(a, (size_t)(b - a), "server_max_window_bits")) {
			int v = param_bits(a, (size_t)(b - a));
			/* zlib cannot make an 8-bit raw window (it uses 9): decline the offer */
			if (v < 9 || v > 15) {
				return false;
			}
			d->server_bits = (uint8_t)v;
			*server_bits_asked = v;
		} else if (param_is(a, (size_t)(b - a), "client_max_window_bits")) {
			int v = param_bits(a, (size_t)(b - a));
			if (v == -1 || (v && (v < 8 || v > 15))) {
				return false;
			}
			*client_bits_asked = true;
			d->client_bits = (uint8_t)MIN(v ? v : 15, H2SRV_WS_CLIENT_BITS);
		} else {
			return false; /* a parameter we do not know: another offer may do */
		}
		p = stop + 1;
	}
	return !first;
}

bool h2srv_ws_deflate_negotiate(const char *offers, size_t len, h2srv_ws_deflate_t *d, char *answer, size_t cap)
{
	const char *p = offers, *end = offers + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *stop = comma ? comma : end;
		bool client_bits_asked;
		int server_bits_asked;

		if (take_offer(p, (size_t)(stop - p), d, &client_bits_asked, &server_bits_asked)) {
			int n = snprintf(answer, cap, "permessage-deflate; server_no_context_takeover%s", 
				d->client_no_takeover ? "; client_no_context_takeover" : "");
			if (server_bits_asked && (size_t)n < cap) {
				n += snprintf(answer + n, cap - (size_t)n, "; server_max_window_bits=%d", server_bits_asked);
			}
			/* §7.1.2.2: the client's window may be narrowed only if it said it can take that */
			if (client_bits_asked && (size_t)n < cap) {
				snprintf(answer + n, cap - (size_t)n, "; client_max_window_bits=%d", d->client_bits);
			} else {
				d->client_bits = 15;
			}
			return true;
		}
		p = stop + 1;
	}
	return false;
}

static z_stream *inflater(h2srv_ws_deflate_t *d)
{
	z_stream **zp = d->client_no_takeover ? &shared_inflater : &d->in;

	if (!*zp) {
		z_stream *z = pecalloc(1, sizeof(*z), 1);
		/* the widest window: what a client with no window limit may use */
		if (inflateInit2(z, d->client_no_takeover ? -15 : -(int)d->client_bits) != Z_OK) {
			pefree(z, 1);
			return NULL;
		}
		*zp = z;
	} else if (d->client_no_takeover) {
		inflateReset(*zp);
	}
	return *zp;
}

int h2srv_ws_inflate(h2srv_ws_deflate_t *d, const char *p, size_t n, h2srv_buf_t *out, uint64_t max)
{
	z_stream *z = inflater(d);
	int pass;

	out->len = 0;
	if (!z) {
		return -1;
	}
	/* the message, then the tail the sender took off */
	for (pass = 0; pass < 2; pass++) {
		z->next_in = (Bytef *)(pass == 0 ? p : (const char *)tail);
		z->avail_in = (uInt)(pass == 0 ? n : sizeof(tail));
		while (z->avail_in) {
			int rc;
			h2srv_buf_reserve(out, 16 * 1024);
			z->next_out = (Bytef *)out->data + out->len;
			z->avail_out = (uInt)MIN(out->cap - out->len, (size_t)(max + 1 - MIN(max, out->len)));
			rc = inflate(z, Z_SYNC_FLUSH);
			out->len = (size_t)((char *)z->next_out - out->data);
			if (out->len > max) {
				inflateReset(z);
				return -2;
			}
			if (rc == Z_BUF_ERROR && z->avail_out == 0) {
				continue;
			}
			if (rc == Z_STREAM_END) {
				inflateReset(z); /* a final block: the next message starts afresh */
				break;
			}
			if (rc != Z_OK) {
				return -1;
			}
		}
	}
	return 0;
}

int h2srv_ws_deflate(const h2srv_ws_deflate_t *d, const char *p, size_t n, h2srv_buf_t *out)
{
	z_stream *z = deflaters[d->server_bits];

	if (!z) {
		z = pecalloc(1, sizeof(*z), 1);
		if (deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -(int)d->server_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			pefree(z, 1);
			return -1;
		}
		deflaters[d->server_bits] = z;
	}
	out->len = 0;
	h2srv_buf_reserve(out, deflateBound(z, n) + 8);
	z->next_in = (Bytef *)p;
	z->avail_in = (uInt)n;
	z->next_out = (Bytef *)out->data;
	z->avail_out = (uInt)out->cap;
	if (deflate(z, Z_SYNC_FLUSH) != Z_OK || z->avail_in) {
		deflateReset(z);
		return -1;
	}
	out->len = out->cap - z->avail_out;
	deflateReset(z); /* server_no_context_takeover */
	if (out->len >= 4 && memcmp(out->data + out->len - 4, tail, 4) == 0) {
		out->len -= 4;
	}
	return 0;
}

void h2srv_ws_deflate_free(h2srv_ws_deflate_t *d)
{
	if (d->in) {
		inflateEnd(d->in);
		pefree(d->in, 1);
		d->in = NULL;
	}
}

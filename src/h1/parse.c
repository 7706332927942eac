#include "php.h"
#include "h1/session.h"

/*
 * Requests in: llhttp (strict mode, no lenient flag) splits the bytes into a request line,
 * fields and a body, and refuses most smuggling by itself (Content-Length with
 * Transfer-Encoding, duplicate Content-Length, a Transfer-Encoding that does not end in
 * chunked, bare CR or LF, whitespace before a colon, bad chunk sizes and extensions, control
 * characters in the target). What it lets through is refused here: obs-fold (which llhttp
 * unfolds silently), chunked on HTTP/1.0, a request line with two spaces, a version other than
 * 1.0 and 1.1, a missing or repeated Host, and the HTTP/2 preface. The request becomes a stream
 * shaped as an HTTP/2 one: :method, :scheme, :authority (from the target's authority, else
 * Host) and :path, then the fields without the connection-specific ones.
 */

static llhttp_settings_t settings;

static h2srv_h1_t *h1_of(llhttp_t *p)
{
	return p->data;
}

/* The byte |back| places before |at| (which lies in the bytes being parsed), looking into the
 * previous read when it is not in this one; 0 when unknown. */
static char before(const h2srv_h1_t *h1, const char *at, size_t back)
{
	size_t here = (size_t)(at - h1->in);

	if (here >= back) {
		return at[-(ptrdiff_t)back];
	}
	back -= here;
	return back <= 2 ? h1->prev[2 - back] : 0;
}

/* The first byte before |at| that is not SP or HTAB. */
static char ws_before(const h2srv_h1_t *h1, const char *at)
{
	const char *q = at;

	while (q > h1->in && (q[-1] == ' ' || q[-1] == '\t')) {
		q--;
	}
	return q > h1->in ? q[-1] : h1->prev_nonws;
}

/* Stops parsing the request being read: it is answered |status| once its turn comes. */
static int refuse_with(h2srv_h1_t *h1, uint16_t status)
{
	if (h1->cur && !h1->cur->refusal) {
		h1->cur->refusal = status;
	}
	return -1;
}

static int on_begin(llhttp_t *p)
{
	h2srv_h1_t *h1 = h1_of(p);
	h2srv_stream_t *s = h2srv_h2_stream_open(h1->sess, h1->next_id);

	h1->next_id = h1->next_id >= INT32_MAX - 2 ? 1 : h1->next_id + 2;
	s->flags |= H2SRV_STREAM_H1;
	if (h1->pipe_tail) {
		h1->pipe_tail->next_pipe = s;
	} else {
		h1->pipe_head = s;
	}
	h1->pipe_tail = s;
	h1->npipe++;
	h1->cur = s;
	h1->target.len = h1->name.len = h1->value.len = 0;
	h1->in_trailers = false;
	h1->hosts = 0;
	h1->ws_upgrade = h1->ws_connection = false;
	return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
	h2srv_h1_t *h1 = h1_of(p);

	if (len == 0) {
		return 0; /* llhttp reports empty spans too */
	}
	/* RFC 9112 §3: exactly one SP between method and target (llhttp skips several). */
	if (h1->target.len == 0 && (before(h1, at, 1) != ' ' || before(h1, at, 2) == ' ')) {
		return refuse_with(h1, 400);
	}
	if (h1->target.len + len > H2SRV_H1_MAX_TARGET) {
		return refuse_with(h1, 414);
	}
	h2srv_buf_append(&h1->target, at, len);
	return 0;
}

/* Whether a field of |n| more bytes still fits the request's header budget. */
static bool fits(h2srv_h1_t *h1, size_t n)
{
	return h1->cur->header_list_size + h1->name.len + h1->value.len + n + 32 <= h1->sess->limits->max_header_list;
}

static int on_field(llhttp_t *p, const char *at, size_t len)
{
	h2srv_h1_t *h1 = h1_of(p);

	/* Every line ends in CRLF (llhttp takes a bare LF after the request line). */
	if (h1->name.len == 0 && (before(h1, at, 1) != '\n' || before(h1, at, 2) != '\r')) {
		return refuse_with(h1, 400);
	}
	if (len == 0) {
		return 0; /* llhttp reports empty spans too */
	}
	if (!fits(h1, len)) {
		return refuse_with(h1, 431);
	}
	h2srv_buf_append(&h1->name, at, len);
	return 0;
}

static int on_value(llhttp_t *p, const char *at, size_t len)
{
	h2srv_h1_t *h1 = h1_of(p);

	if (len == 0) {
		return 0; /* llhttp reports empty spans too */
	}
	/* llhttp hands an obs-fold line over as more value: whitespace back from it reaches the
	 * line's LF, where an ordinary value reaches its colon (or, split by a read, a value byte). */
	if (ws_before(h1, at) == '\n') {
		return refuse_with(h1, 400);
	}
	if (!fits(h1, len)) {
		return refuse_with(h1, 431);
	}
	h2srv_buf_append(&h1->value, at, len);
	return 0;
}

static bool is(const h2srv_buf_t *b, const char *lit, size_t n)
{
	return b->len == n && memcmp(b->data, lit, n) == 0;
}

/* Whether the comma-separated list |v| holds the token |tok| (case-insensitive). */
static bool has_token(const char *v, size_t vlen, const char *tok, size_t tlen)
{
	size_t i = 0;

	while (i < vlen) {
		size_t start, end;

		while (i < vlen && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) {
			i++;
		}
		start = i;
		while (i < vlen && v[i] != ',' && v[i] != ';') {
			i++;
		}
		end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t')) {
			end--;
		}
		if (end - start == tlen && strncasecmp(v + start, tok, tlen) == 0) {
			return true;
		}
		while (i < vlen && v[i] != ',') {
			i++;
		}
	}
	return false;
}

/* RFC 9113 §8.2.2's connection-specific fields: they frame this connection and are not shown
 * to the application (which sees an HTTP/1.1 request as it would an HTTP/2 one). */
static bool connection_specific(const h2srv_buf_t *n)
{
	return is(n, ZEND_STRL("connection")) || is(n, ZEND_STRL("keep-alive"))
		|| is(n, ZEND_STRL("proxy-connection")) || is(n, ZEND_STRL("transfer-encoding"))
		|| is(n, ZEND_STRL("upgrade"));
}

/* A buffer's bytes for a copy: an empty one may never have been allocated. */
static const char *bytes(const h2srv_buf_t *b)
{
	return b->len ? b->data : "";
}

static int on_value_done(llhttp_t *p)
{
	h2srv_h1_t *h1 = h1_of(p);
	h2srv_stream_t *s = h1->cur;
	h2srv_buf_t *n = &h1->name, *v = &h1->value;
	uint32_t i;

	if (n->len == 0) {
		return refuse_with(h1, 400); /* llhttp lets ":x" through after an HTTP/0.9 request line */
	}
	zend_str_tolower(n->data, n->len);
	while (v->len && (v->data[v->len - 1] == ' ' || v->data[v->len - 1] == '\t')) {
		v->len--; /* llhttp strips the leading whitespace, not the trailing */
	}
	s->header_list_size += n->len + v->len + 32;
	if (connection_specific(n)) {
		if (is(n, ZEND_STRL("upgrade")) && has_token(bytes(v), v->len, ZEND_STRL("websocket"))) {
			h1->ws_upgrade = true;
		} else if (is(n, ZEND_STRL("connection")) && has_token(bytes(v), v->len, ZEND_STRL("upgrade"))) {
			h1->ws_connection = true;
		}
		n->len = v->len = 0;
		return 0;
	}
	if (h1->in_trailers) {
		if (is(n, ZEND_STRL("host")) || is(n, ZEND_STRL("content-length")) || is(n, ZEND_STRL("te"))) {
			n->len = v->len = 0;
			return 0; /* RFC 9110 §6.5.1: never framing or routing from a trailer */
		}
		i = h2srv_stream_add_field(s, (const uint8_t *)bytes(n), n->len, (const uint8_t *)bytes(v), v->len);
		if (s->f_trailers == H2SRV_FIELD_NONE) {
			s->f_trailers = i;
		}
		n->len = v->len = 0;
		return 0;
	}
	if (is(n, ZEND_STRL("host"))) {
		if (h1->hosts++ == 0) {
			s->f_authority = h2srv_stream_add_field(s, (const uint8_t *)":authority", 10,
				(const uint8_t *)bytes(v), v->len);
		}
		n->len = v->len = 0;
		return 0;
	}
	if (is(n, ZEND_STRL("expect")) && v->len == 12 && strncasecmp(v->data, "100-continue", 12) == 0) {
		s->flags |= H2SRV_STREAM_H1_CONTINUE;
	} else if (is(n, ZEND_STRL("te")) && has_token(v->data, v->len, ZEND_STRL("trailers"))) {
		s->flags |= H2SRV_STREAM_H1_TRAILERS;
	}
	h2srv_stream_add_field(s, (const uint8_t *)bytes(n), n->len, (const uint8_t *)bytes(v), v->len);
	n->len = v->len = 0;
	return 0;
}

static uint32_t add(h2srv_stream_t *s, const char *name, size_t nlen, const char *v, size_t vlen)
{
	return h2srv_stream_add_field(s, (const uint8_t *)name, nlen, (const uint8_t *)v, vlen);
}

/* Points the :authority field at |v| (an absolute-form target's authority wins over Host). */
static void set_authority(h2srv_stream_t *s, const char *v, size_t vlen)
{
	if (s->f_authority == H2SRV_FIELD_NONE) {
		s->f_authority = add(s, ZEND_STRL(":authority"), v, vlen);
		return;
	}
	s->fields[s->f_authority].value_off = (uint32_t)s->hbytes.len;
	s->fields[s->f_authority].value_len = (uint32_t)vlen;
	h2srv_buf_append(&s->hbytes, v, vlen);
}

/* The request target (RFC 9112 §3.2) as :path and, in absolute form, :authority; returns 0 or
 * the status that refuses it. */
static uint16_t take_target(h2srv_h1_t *h1, h2srv_stream_t *s, bool options)
{
	const char *t = h1->target.data;
	size_t n = h1->target.len;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)t[i] <= 0x20 || t[i] == 0x7f) {
			return 400;
		}
	}
	if (n && t[0] == '/') {
		s->f_path = add(s, ZEND_STRL(":path"), t, n);
		return 0;
	}
	if (n == 1 && t[0] == '*') {
		if (!options) {
			return 400;
		}
		s->f_path = add(s, ZEND_STRL(":path"), t, n);
		return 0;
	}
	{
		size_t skip = n > 7 && strncasecmp(t, "http://", 7) == 0 ? 7 : n > 8 && strncasecmp(t, "https://", 8) == 0 ? 8 : 0;
		size_t a = skip;

		if (!skip) {
			return 400;
		}
		while (a < n && t[a] != '/' && t[a] != '?' && t[a] != '#') {
			a++;
		}
		if (a == skip || memchr(t + skip, '@', a - skip)) {
			return 400; /* no authority, or userinfo (RFC 9110 §4.2.4) */
		}
		set_authority(s, t + skip, a - skip);
		if (a == n || t[a] != '/') {
			/* "http://a?q" has the path "/" and the query "q". */
			size_t off = s->hbytes.len;
			h2srv_buf_append(&s->hbytes, "/", 1);
			h2srv_buf_append(&s->hbytes, t + a, n - a);
			s->f_path = add(s, ZEND_STRL(":path"), s->hbytes.data + off, n - a + 1);
		} else {
			s->f_path = add(s, ZEND_STRL(":path"), t + a, n - a);
		}
	}
	return 0;
}

static int on_headers_done(llhttp_t *p)
{
	h2srv_h1_t *h1 = h1_of(p);
	h2srv_stream_t *s = h1->cur;
	const char *method = llhttp_method_name((llhttp_method_t)p->method);
	uint16_t status;

	if (p->http_major != 1 || p->http_minor > 1) {
		return refuse_with(h1, 505);
	}
	if (p->http_minor == 0) {
		s->flags |= H2SRV_STREAM_H10;
		if (p->flags & F_CHUNKED) {
			return refuse_with(h1, 400); /* RFC 9112 §6.1: HTTP/1.0 has no chunked coding */
		}
	}
	if (h1->hosts > 1 || (h1->hosts == 0 && p->http_minor == 1)) {
		return refuse_with(h1, 400); /* RFC 9112 §3.2 */
	}
	if (p->method == HTTP_CONNECT) {
		return refuse_with(h1, 405); /* not a proxy */
	}
	if ((status = take_target(h1, s, p->method == HTTP_OPTIONS)) != 0) {
		return refuse_with(h1, status);
	}
	if (s->f_authority != H2SRV_FIELD_NONE && s->fields[s->f_authority].value_len == 0) {
		s->f_authority = H2SRV_FIELD_NONE; /* "Host:" with no value: no authority */
	}
	s->f_method = add(s, ZEND_STRL(":method"), method, strlen(method));
	add(s, ZEND_STRL(":scheme"), h1->https ? "https" : "http", h1->https ? 5 : 4);
	if (p->method == HTTP_HEAD) {
		s->flags |= H2SRV_STREAM_HEAD;
	}
	if ((p->flags & F_CONTENT_LENGTH) && p->content_length > h1->sess->limits->max_body_size) {
		return refuse_with(h1, 413);
	}
	if (!(p->flags & F_CHUNKED) && !((p->flags & F_CONTENT_LENGTH) && p->content_length > 0)) {
		s->flags &= ~H2SRV_STREAM_H1_CONTINUE; /* no body to wait for */
	}
	h1->in_trailers = true; /* fields from here on are a chunked body's trailers */
	/* RFC 6455 §4.2.1: a GET asking for the upgrade (its key and version the PHP side checks). */
	if (h1->ws_upgrade && h1->ws_connection && p->method == HTTP_GET
		&& p->http_minor == 1) {
		s->flags |= H2SRV_STREAM_WS;
	}
	if ((s->flags & H2SRV_STREAM_WS) || ((p->flags & (F_CHUNKED | F_CONTENT_LENGTH))
		&& (p->content_length > 0 || (p->flags & F_CHUNKED)) && h2srv_h2_wants_early(h1->sess->limits, s))) {
		/* Its handler runs now; the body (or a WebSocket's frames) follows as it arrives. */
		s->flags |= H2SRV_STREAM_EARLY;
		h2srv_h2_stream_arrived(h1->sess, s);
		h2srv_h2_stream_ready(h1->sess, s);
	}
	return 0;
}

/* Bytes for an EARLY stream's handler: taken at its pace; reading stops at a window's worth. */
static bool early_bytes(h2srv_h1_t *h1, h2srv_stream_t *s, const char *p, size_t len)
{
	s->body_size += len;
	h2srv_buf_append(&s->body, p, len);
	h2srv_h2_stream_inbound(h1->sess, s);
	if (s->body.len >= H2SRV_STREAM_WINDOW) {
		if (!h1->blocked) {
			s->refs++;
			h1->blocked = s;
		}
		h1->paused = true;
		return false;
	}
	return true;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
	h2srv_h1_t *h1 = h1_of(p);
	h2srv_h2_t *sess = h1->sess;
	h2srv_stream_t *s = h1->cur;

	if (len == 0) {
		return 0;
	}
	s->flags &= ~H2SRV_STREAM_H1_CONTINUE; /* the client did not wait for it */
	if (s->flags & H2SRV_STREAM_EARLY) {
		return early_bytes(h1, s, at, len) ? 0 : HPE_PAUSED;
	}
	if (s->body_size + len > sess->limits->max_body_size) {
		return refuse_with(h1, 413);
	}
	s->body_size += len;
	h2srv_buf_append(&s->body, at, len);
	if (UNEXPECTED(s->spool_fd >= 0 ? s->body.len >= H2SRV_SPOOL_CHUNK : s->body.len > sess->limits->body_buffer_size)
		&& h2srv_h2_spool(sess, s) != 0) {
		return refuse_with(h1, 500);
	}
	return 0;
}

static int on_complete(llhttp_t *p)
{
	h2srv_h1_t *h1 = h1_of(p);
	h2srv_h2_t *sess = h1->sess;
	h2srv_stream_t *s = h1->cur;

	h1->cur = NULL;
	s->flags &= ~H2SRV_STREAM_H1_CONTINUE;
	if (s->flags & H2SRV_STREAM_WS) {
		/* Whatever follows is the WebSocket's, or nothing if its handler refuses it. */
		sess->stats->h1_requests++;
		s->refs++;
		h1->tunnel = s;
		h1->closing = true;
		return HPE_PAUSED;
	}
	s->flags |= H2SRV_STREAM_REQ_DONE;
	h2srv_h2_stream_arrived(sess, s);
	if (UNEXPECTED(s->spool_fd >= 0)) {
		/* The whole body is in the file before the handler sees it. */
		if (h2srv_h2_spool(sess, s) != 0) {
			h1->cur = s;
			return refuse_with(h1, 500);
		}
		close(s->spool_fd);
		s->spool_fd = -1;
	}
	sess->stats->h1_requests++;
	if (!llhttp_should_keep_alive(p) || h1->goaway) {
		s->flags |= H2SRV_STREAM_H1_CLOSE;
		h1->closing = true;
	}
	if (s->flags & H2SRV_STREAM_EARLY) {
		h2srv_h2_stream_inbound(sess, s); /* its handler runs already: this is its end */
	} else {
		h2srv_h2_stream_ready(sess, s);
	}
	if (h1->closing) {
		return HPE_PAUSED; /* nothing after this request is read */
	}
	if (h1->npipe >= H2SRV_H1_MAX_PIPELINE) {
		h1->paused = true;
		sess->stats->h1_pauses++;
		return HPE_PAUSED;
	}
	return 0;
}

void h2srv_h1_startup(void)
{
	llhttp_settings_init(&settings);
	settings.on_message_begin = on_begin;
	settings.on_url = on_url;
	settings.on_header_field = on_field;
	settings.on_header_value = on_value;
	settings.on_header_value_complete = on_value_done;
	settings.on_headers_complete = on_headers_done;
	settings.on_body = on_body;
	settings.on_message_complete = on_complete;
}

int h2srv_h1_open(h2srv_h2_t *sess, const h2srv_h2_limits_t *limits, h2srv_h2_stats_t *stats,
	size_t byte_cap, void *owner, bool https)
{
	h2srv_h1_t *h1 = ecalloc(1, sizeof(*h1));

	memset(sess, 0, sizeof(*sess));
	sess->emit.ctl.persistent = sess->emit.staging.persistent = true;
	sess->mode = H2SRV_EMIT_GATHER;
	sess->limits = limits;
	sess->stats = stats;
	sess->owner = owner;
	sess->emit.byte_cap = byte_cap;
	sess->emit.pass = 1;
	sess->budget.glitch_tokens = limits->glitch_budget;
	sess->h1 = h1;
	h1->sess = sess;
	h1->https = https;
	h1->next_id = 1;
	llhttp_init(&h1->parser, HTTP_REQUEST, &settings);
	h1->parser.data = h1;
	stats->h1_conns++;
	return 0;
}

/* Keeps the last bytes parsed, for before() and ws_before(). */
static void remember(h2srv_h1_t *h1, const char *p, size_t len)
{
	for (size_t i = len; i > 0; i--) {
		if (p[i - 1] != ' ' && p[i - 1] != '\t') {
			h1->prev_nonws = p[i - 1];
			break;
		}
	}
	if (len >= 2) {
		h1->prev[0] = p[len - 2];
		h1->prev[1] = p[len - 1];
	} else if (len == 1) {
		h1->prev[0] = h1->prev[1];
		h1->prev[1] = p[0];
	}
}

/* The request being parsed is malformed (or, with none, the bytes are no request at all): it
 * is answered with the status its callback chose, else |status|, and nothing more is read. */
static void refuse_current(h2srv_h1_t *h1, uint16_t status)
{
	h2srv_stream_t *s = h1->cur;

	if (!s) {
		on_begin(&h1->parser);
		s = h1->cur;
	}
	h1->cur = NULL;
	h1->closing = true;
	h1->sess->stats->h1_refused++;
	h2srv_h2_stream_arrived(h1->sess, s);
	h2srv_h1_refuse(s, s->refusal ? s->refusal : status);
}

/* A WebSocket's bytes after its 101 (or ahead of it: they wait in its body until it is
 * accepted, or go with the connection if it is refused). */
static void tunnel_in(h2srv_h1_t *h1, const char *p, size_t len)
{
	h2srv_stream_t *s = h1->tunnel;

	if (len && s->h2) {
		early_bytes(h1, s, p, len); /* past a window's worth, the next bytes are held */
	}
}

static void parse(h2srv_h1_t *h1, const char *p, size_t len)
{
	while (len) {
		llhttp_errno_t e;
		const char *at;

		h1->in = p;
		e = llhttp_execute(&h1->parser, p, len);
		if (e == HPE_OK) {
			remember(h1, p, len);
			return;
		}
		if (e != HPE_PAUSED && e != HPE_PAUSED_UPGRADE) {
			refuse_current(h1, 400); /* HPE_PAUSED_H2_UPGRADE too: no HTTP/2 preface here */
			return;
		}
		at = llhttp_get_error_pos(&h1->parser);
		remember(h1, p, (size_t)(at - p));
		len -= (size_t)(at - p);
		p = at;
		if (h1->tunnel) {
			tunnel_in(h1, p, len);
			return;
		}
		if (e == HPE_PAUSED_UPGRADE) {
			/* An Upgrade (websocket, h2c) we do not take: RFC 9110 §7.8 lets us ignore it and
			 * go on with HTTP/1.1 on the same connection. */
			llhttp_resume_after_upgrade(&h1->parser);
		}
		if (h1->closing) {
			return; /* what follows a last request is never read */
		}
		if (h1->paused) {
			if (len) {
				h2srv_buf_append(&h1->held, p, len);
			}
			return;
		}
	}
}

int h2srv_h1_recv(h2srv_h2_t *sess, const char *p, size_t len)
{
	h2srv_h1_t *h1 = sess->h1;

	sess->got_preface = true; /* the handshake timeout is over: the read timeout takes it up */
	if (h1->paused) {
		h2srv_buf_append(&h1->held, p, len);
		return 0;
	}
	if (h1->tunnel) {
		tunnel_in(h1, p, len);
		return 0;
	}
	if (h1->closing || h1->dead) {
		return 0;
	}
	parse(h1, p, len);
	return 0;
}

bool h2srv_h1_resume(h2srv_h2_t *sess)
{
	h2srv_h1_t *h1 = sess->h1;
	h2srv_buf_t b;

	if (!h1->paused) {
		return true;
	}
	if (!h2srv_h1_can_resume(sess) || h1->dead || (h1->closing && !h1->tunnel)) {
		return false;
	}
	h1->paused = false;
	if (h1->blocked) {
		h2srv_stream_unref(h1->blocked);
		h1->blocked = NULL;
	}
	b = h1->held;
	memset(&h1->held, 0, sizeof(h1->held));
	if (h1->tunnel) {
		tunnel_in(h1, b.data, b.len);
	} else {
		llhttp_resume(&h1->parser);
		parse(h1, b.data, b.len);
	}
	h2srv_buf_free(&b);
	return !h1->paused;
}

void h2srv_h1_goaway(h2srv_h2_t *sess)
{
	h2srv_h1_t *h1 = sess->h1;

	h1->goaway = true;
	if (h1->cur) {
		return; /* on_complete makes it the last */
	}
	if (h1->pipe_tail) {
		h1->pipe_tail->flags |= H2SRV_STREAM_H1_CLOSE;
	}
	h1->closing = true;
}

void h2srv_h1_terminate(h2srv_h2_t *sess)
{
	sess->h1->closing = true;
}

uint32_t h2srv_h1_cancel_incomplete(h2srv_h2_t *sess)
{
	h2srv_h1_t *h1 = sess->h1;

	if (!h1->cur || h1->closing) {
		return 0;
	}
	refuse_current(h1, 408);
	return 1;
}

bool h2srv_h1_headers_late(const h2srv_h2_t *sess, uint64_t now, uint64_t timeout)
{
	const h2srv_stream_t *s = sess->h1->cur;

	return s && s->f_method == H2SRV_FIELD_NONE && now - s->started >= timeout;
}

void h2srv_h1_close(h2srv_h2_t *sess)
{
	h2srv_h1_t *h1 = sess->h1;

	h2srv_h2_close(sess);
	if (h1->tunnel) {
		h2srv_stream_unref(h1->tunnel);
	}
	if (h1->blocked) {
		h2srv_stream_unref(h1->blocked);
	}
	h2srv_buf_free(&h1->name);
	h2srv_buf_free(&h1->value);
	h2srv_buf_free(&h1->target);
	h2srv_buf_free(&h1->held);
	efree(h1);
	sess->h1 = NULL;
}

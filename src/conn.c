#include "php.h"
#include "conn.h"
#include "proto.h"
#include "static.h"
#include "log.h"
#include "ws/socket.h"

static void on_closed(uv_handle_t *h);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);
static void write_out(h2srv_conn_t *c);
static void settle(h2srv_conn_t *c);

/* ---- the transport's connections ---------------------------------------------------------- */

/* Runs the emit passes asked for outside a read, once per loop turn. */
static void on_idle(uv_idle_t *h)
{
	h2srv_transport_t *t = h->data;
	h2srv_conn_t *c = t->dirty;

	/* Detach the list first: a pass may mark its connection dirty again for the next turn. */
	t->dirty = NULL;
	while (c) {
		h2srv_conn_t *next = c->next_dirty;
		c->next_dirty = NULL;
		c->dirty = false;
		h2srv_conn_emit(c);
		c = next;
	}
	if (!t->dirty) {
		uv_idle_stop(&t->idle);
	}
}

void h2srv_transport_init(h2srv_transport_t *t)
{
	uv_idle_init(&t->loop, &t->idle);
	t->idle.data = t;
	t->sendbuf.persistent = true;
	t->readbuf = emalloc(H2SRV_READ_BUF);
	t->plainbuf = emalloc(H2SRV_PLAIN_BUF);
}

void h2srv_transport_free(h2srv_transport_t *t)
{
	if (t->readbuf) {
		efree(t->readbuf);
		efree(t->plainbuf);
		t->readbuf = t->plainbuf = NULL;
	}
	h2srv_buf_free(&t->sendbuf);
}

/* Adds |c| to the connections that get an emit pass on the next loop turn. */
static void mark_dirty(h2srv_conn_t *c)
{
	h2srv_transport_t *t = c->t;

	if (c->dirty) {
		return;
	}
	c->dirty = true;
	c->next_dirty = t->dirty;
	t->dirty = c;
	uv_idle_start(&t->idle, on_idle);
}

/* Takes |c| off the transport's lists. */
static void gone(h2srv_conn_t *c)
{
	h2srv_transport_t *t = c->t;

	if (c->dirty) {
		h2srv_conn_t **pp = &t->dirty;
		while (*pp != c) {
			pp = &(*pp)->next_dirty;
		}
		*pp = c->next_dirty;
		c->dirty = false;
	}
	if (c->prev) {
		c->prev->next = c->next;
	} else {
		t->conns = c->next;
	}
	if (c->next) {
		c->next->prev = c->prev;
	}
	t->nconns--;
	t->stats->conns_open--;
	h2srv_balance_conns(t->balance, t->nconns);
	if (t->stopping && t->nconns == 0 && t->drained) {
		t->drained(t);
	}
}

/* ---- one connection ------------------------------------------------------------------------- */

static void close_now(h2srv_conn_t *c)
{
	if (c->state == H2SRV_CONN_CLOSED) {
		return;
	}
	h2srv_proto_close(&c->h2);
	c->state = H2SRV_CONN_CLOSED;
	h2srv_tls_close(&c->tls);
	uv_read_stop((uv_stream_t *)&c->tcp);
	gone(c);
	uv_close((uv_handle_t *)&c->tcp, on_closed);
	settle(c); /* last: what the PHP side does then finds the connection gone */
}

static void on_closed(uv_handle_t *h)
{
	h2srv_conn_t *c = h->data;

	h2srv_buf_free(&c->wq);
	h2srv_buf_free(&c->inflight);
	if (c->remote) {
		zend_string_release(c->remote);
	}
	h2srv_tls_facts_release(c->tls_facts);
	pefree(c, 1);
}

/* Everything we had to say is written: free the sessions, send FIN, wait for the peer's. */
static void linger(h2srv_conn_t *c)
{
	h2srv_proto_close(&c->h2);
	if (!c->cleartext) {
		h2srv_tls_close_notify(&c->tls);
		h2srv_tls_close(&c->tls);
		write_out(c); /* the shutdown below waits for this write */
		if (c->state == H2SRV_CONN_CLOSED) {
			return;
		}
		/* The peer said close_notify and the socket took all we had: nothing is left to wait
		 * for (its FIN, if it has not come, finds the socket closed; nothing unread is
		 * dropped). A client's goodbye saves the shutdown and a loop turn this way. */
		if (c->peer_closed && !c->writing && c->wq.len == 0) {
			close_now(c);
			return;
		}
	}
	c->state = H2SRV_CONN_LINGER;
	c->born = uv_now(&c->t->loop);
	if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, NULL) != 0) {
		close_now(c);
		return;
	}
	settle(c);
}

void h2srv_conn_abort(h2srv_conn_t *c)
{
	if (c->in_io) {
		c->abort = true;
		return;
	}
	close_now(c);
}

static void on_write(uv_write_t *req, int status)
{
	h2srv_conn_t *c = req->data;

	c->writing = false;
	c->last_write = uv_now(&c->t->loop);
	c->inflight.len = 0;
	if (c->state == H2SRV_CONN_CLOSED) {
		return;
	}
	if (status < 0) {
		close_now(c);
		return;
	}
	h2srv_conn_emit(c);
}

/* One non-blocking write; returns the bytes the socket took (0 when it is full), or -1 when the
 * connection is broken. */
static ssize_t try_send(h2srv_conn_t *c, char *p, size_t len)
{
	uv_buf_t b = uv_buf_init(p, (unsigned int)len);
	int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);

	if (n == UV_EAGAIN) {
		return 0;
	}
	if (n < 0) {
		return -1;
	}
	if (n > 0) {
		c->last_write = uv_now(&c->t->loop);
	}
	return n;
}

/* Gives the queued ciphertext to the socket: a direct write first, libuv keeps any tail. */
static void write_out(h2srv_conn_t *c)
{
	uv_buf_t b;
	ssize_t n;
	h2srv_buf_t t;

	if (c->writing || c->wq.len == 0) {
		return;
	}
	c->t->stats->bytes_out += c->wq.len;
	if ((n = try_send(c, c->wq.data, c->wq.len)) < 0) {
		close_now(c);
		return;
	}
	if ((size_t)n == c->wq.len) {
		c->wq.len = 0;
		return;
	}
	/* Swap buffers so new ciphertext can queue while libuv owns the tail. */
	t = c->inflight;
	c->inflight = c->wq;
	c->wq = t;
	c->wq.len = 0;
	b = uv_buf_init(c->inflight.data + n, (unsigned int)(c->inflight.len - (size_t)n));
	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0) {
		close_now(c);
		return;
	}
	c->writing = true;
}

/* Writes |b| to the socket, nothing being queued ahead of it; what the socket does not take
 * is queued. Returns 0, or -1 when the connection is broken. */
static int send_direct(h2srv_conn_t *c, h2srv_buf_t *b)
{
	ssize_t n = b->len ? try_send(c, b->data, b->len) : 0;

	if (n < 0) {
		return -1;
	}
	c->t->stats->bytes_out += (uint64_t)n;
	if ((size_t)n < b->len) {
		h2srv_buf_append(&c->wq, b->data + n, b->len - (size_t)n);
	}
	return 0;
}

/* Cleartext emit sink for drained chunks: queued as they are. */
static int write_plain(void *ctx, const char *p, size_t n)
{
	h2srv_buf_append(&((h2srv_conn_t *)ctx)->wq, p, n);
	return 0;
}

/* Cleartext emit sink for a gathered pass: its slices go to the socket in place, in vectored
 * writes, when nothing is queued ahead of them; what the socket does not take is queued. */
static int write_vec(void *ctx, const uv_buf_t *bufs, uint32_t n)
{
	h2srv_conn_t *c = ctx;
	uint32_t i = 0;
	size_t skip = 0;

	while (!c->writing && c->wq.len == 0 && i < n && !skip) {
		int w = uv_try_write((uv_stream_t *)&c->tcp, bufs + i, MIN(n - i, H2SRV_IOV_MAX));
		size_t left;

		if (w < 0 && w != UV_EAGAIN) {
			return -1;
		}
		if (w <= 0) {
			break;
		}
		c->t->stats->bytes_out += (uint64_t)w;
		c->last_write = uv_now(&c->t->loop);
		for (left = (size_t)w; left >= bufs[i].len; i++) {
			left -= bufs[i].len;
			if (i + 1 == n) {
				return 0;
			}
		}
		skip = left;
	}
	for (; i < n; i++, skip = 0) {
		h2srv_buf_append(&c->wq, bufs[i].base + skip, bufs[i].len - skip);
	}
	return 0;
}

/* Asks the PHP side for more of the fed bodies that ran low (stream() producers), before the
 * pass. */
static void feed(h2srv_conn_t *c)
{
	h2srv_side_t *side = c->t->side;
	h2srv_stream_t *s;

	c->in_io = true; /* what the producers submit goes out in the pass that follows */
	while ((s = h2srv_h2_next_hungry(&c->h2))) {
		s->refs++;
		/* A WebSocket read no further while its output was full is read again now. */
		if (UNEXPECTED(s->ws != NULL) && s->body.len && s->h2) {
			h2srv_ws_recv(s, uv_now(&c->t->loop));
			side->input(side, s);
		}
		side->produce(side, s);
		h2srv_stream_unref(s);
	}
	c->in_io = false;
}

/* Streams that closed during the last read, pass or close hand their side data back to the
 * PHP side, now that nghttp2 and the emit are done with them. */
static void settle(h2srv_conn_t *c)
{
	h2srv_side_t *side = c->t->side;
	h2srv_stream_t *s;

	while ((s = h2srv_h2_next_closed(&c->h2))) {
		if (UNEXPECTED(s->ws != NULL)) {
			h2srv_ws_gone(s); /* no longer open; a close PHP has not heard of is 1006 */
		}
		side->closed(side, s);
		h2srv_stream_unref(s);
	}
}

/* The emit sink follows who seals: h2srv, until a KeyUpdate (the peer's, or ours) gives
 * sealing back to OpenSSL; from then on passes are staged. */
static void follow_sealing(h2srv_conn_t *c)
{
	if (c->out.writev != NULL && !h2srv_tls_sealing(&c->tls)) {
		c->out.writev = NULL;
	}
}

/* The write key took its limit of records: TLS 1.3 updates it; a TLS 1.2 connection, which
 * cannot, is told to go (graceful GOAWAY), once. */
static void renew_key(h2srv_conn_t *c)
{
	if (h2srv_tls_update_key(&c->tls) == 0) {
		c->t->stats->key_updates++;
		follow_sealing(c);
		return;
	}
	if (!c->key_goaway) {
		c->key_goaway = true;
		c->t->stats->key_goaways++;
		c->h2.now = uv_now(&c->t->loop);
		h2srv_proto_goaway(&c->h2);
	}
}

/* One emit pass and its write, and what follows from them (lingering, another pass). */
static void emit_pass(h2srv_conn_t *c)
{
	ssize_t produced = 0;
	size_t backlog;

	/* Before the backlog is measured: the KeyUpdate is queued ahead of the pass's records. */
	if (UNEXPECTED(!c->cleartext && h2srv_tls_key_spent(&c->tls)) && c->state == H2SRV_CONN_OPEN) {
		renew_key(c);
	}
	backlog = c->wq.len + c->inflight.len;
	if (UNEXPECTED(c->h2.hungry != NULL) && c->state == H2SRV_CONN_OPEN) {
		feed(c);
	}
	if (c->state == H2SRV_CONN_OPEN && backlog < H2SRV_OUTPUT_CAP) {
		/* With nothing queued, the pass's ciphertext goes into the loop's one send buffer,
		 * which stays in cache from connection to connection, and straight to the socket. */
		bool direct = !c->cleartext && backlog == 0;

		c->h2.now = uv_now(&c->t->loop);
		if (direct) {
			c->t->sendbuf.len = 0;
			h2srv_tls_set_output(&c->tls, &c->t->sendbuf);
		}
		produced = h2srv_proto_send(&c->h2, H2SRV_OUTPUT_CAP - backlog, &c->out);
		if (direct) {
			h2srv_tls_set_output(&c->tls, &c->wq);
			if (send_direct(c, &c->t->sendbuf) != 0) {
				close_now(c);
				return;
			}
		}
		if (produced < 0) {
			close_now(c);
			return;
		}
	}
	write_out(c);
	if (c->state == H2SRV_CONN_CLOSED) {
		return;
	}
	if (c->writing) {
		return; /* on_write comes back here */
	}
	if (c->state == H2SRV_CONN_FLUSHING || (c->state == H2SRV_CONN_OPEN && !h2srv_proto_alive(&c->h2))) {
		linger(c);
		return;
	}
	/* The pass stopped at its room while the socket took everything, or a fed body ran low:
	 * go on next turn. So too when the pass began behind a backlog the socket has now taken
	 * whole: it produced little or nothing (at the cap: nothing), and with no write left to
	 * complete, no callback would come back for the frames still waiting. */
	bool may_have_more = produced > 0 || (backlog > 0 && c->wq.len == 0);
	if (c->state == H2SRV_CONN_OPEN && (c->h2.hungry || (may_have_more && h2srv_proto_want_write(&c->h2)))) {
		mark_dirty(c);
	}
}

static void dispatch(h2srv_conn_t *c);
static void deliver(h2srv_conn_t *c);

/* A full HTTP/1.1 pipeline has drained enough: what was held is parsed, its requests go to
 * PHP, and the socket is read again unless the pipeline filled up once more. */
static void resume_reading(h2srv_conn_t *c)
{
	bool more;

	c->in_io = true;
	more = h2srv_h1_resume(&c->h2);
	dispatch(c);
	c->in_io = false;
	if (c->abort) {
		close_now(c);
		return;
	}
	if (more) {
		c->reading_paused = false;
		uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
	}
	emit_pass(c);
	if (c->state != H2SRV_CONN_CLOSED) {
		settle(c);
	}
}

void h2srv_conn_emit(h2srv_conn_t *c)
{
	if (c->in_io || c->state == H2SRV_CONN_CLOSED) {
		return;
	}
	/* Input asked for outside a read (callbacks set late, a WebSocket accepted by a worker) */
	if (UNEXPECTED(c->h2.inbound != NULL) && c->state == H2SRV_CONN_OPEN) {
		c->in_io = true;
		deliver(c);
		c->in_io = false;
	}
	emit_pass(c);
	if (c->state != H2SRV_CONN_CLOSED) {
		settle(c); /* streams the read or the pass closed (close_now settles its own) */
	}
	/* Handlers answering at once (connection dispatch) drain the pipeline within the loop. */
	while (UNEXPECTED(c->reading_paused) && c->state == H2SRV_CONN_OPEN && h2srv_h1_can_resume(&c->h2)) {
		resume_reading(c);
	}
}

void h2srv_conn_want_emit(h2srv_conn_t *c)
{
	if (!c->in_io && c->state != H2SRV_CONN_CLOSED) {
		mark_dirty(c);
	}
}

void h2srv_conn_goaway(h2srv_conn_t *c)
{
	if (c->state == H2SRV_CONN_OPEN) {
		c->h2.now = uv_now(&c->t->loop);
		h2srv_proto_goaway(&c->h2);
		h2srv_conn_want_emit(c);
	}
}

/* What came for requests already handed over: bodies as they arrive, WebSockets' frames read
 * here and their messages handed on. */
static void deliver(h2srv_conn_t *c)
{
	h2srv_side_t *side = c->t->side;
	h2srv_stream_t *s;

	while ((s = h2srv_h2_next_inbound(&c->h2))) {
		if (s->h2) {
			if (s->ws) {
				h2srv_ws_recv(s, uv_now(&c->t->loop));
			}
			side->input(side, s);
		}
		h2srv_stream_unref(s);
	}
}

/* Complete requests go to the PHP side, unless a static mount answers them; then the input
 * of those handed over early. */
static void dispatch(h2srv_conn_t *c)
{
	h2srv_side_t *side = c->t->side;
	h2srv_peer_t peer = {c->remote, c->tls_facts};
	h2srv_stream_t *s;

	while ((s = h2srv_h2_next_ready(&c->h2))) {
		if (s->h2 && !(s->flags & H2SRV_STREAM_ENDED)
			&& !(c->t->opts->statics && !(s->flags & H2SRV_STREAM_EARLY) && h2srv_static_answer(c->t->opts->statics, s))) {
			side->request(side, s, &peer);
		}
		h2srv_stream_unref(s);
	}
	if (UNEXPECTED(c->h2.inbound != NULL)) {
		deliver(c);
	}
}

static void log_peer(h2srv_conn_t *c, const char *what, const char *why)
{
	h2srv_log(H2SRV_LOG_INFO, "%s with %s: %s", what, ZSTR_VAL(c->remote), why);
}

/* One access-log line per stream: peer, method, path, status (0: reset before a response),
 * response body bytes, seconds from its headers to its end, stream id, protocol. */
static void log_access(void *owner, const h2srv_stream_t *s)
{
	h2srv_conn_t *c = owner;
	int mlen, plen;
	const char *m = h2srv_field_or_unknown(s, s->f_method, &mlen);
	const char *p = h2srv_field_or_unknown(s, s->f_path, &plen);

	h2srv_log_line(c->t->access_log, "%s %.*s %.*s %u %zu %.3f %d %s", ZSTR_VAL(c->remote), mlen, m, plen, p,
		s->status, s->out_read, (double)(c->h2.now - s->started) / 1000.0, (int)s->id,
		!(s->flags & H2SRV_STREAM_H1) ? "HTTP/2" : (s->flags & H2SRV_STREAM_H10) ? "HTTP/1.0" : "HTTP/1.1");
}

/* A response was submitted, or a paused body resumed, from outside a read: emit soon. */
static void wake(void *owner)
{
	h2srv_conn_want_emit(owner);
}

/* The session begins, HTTP/2 or with |http1| HTTP/1.x: after the TLS handshake, or once a
 * cleartext connection's first bytes tell which. Returns 0 or -1. */
static int start_session(h2srv_conn_t *c, bool http1)
{
	h2srv_transport_t *t = c->t;

	if (http1) {
		h2srv_h1_open(&c->h2, t->limits, &t->stats->h2, t->opts->byte_cap, c, !c->cleartext);
	} else if (h2srv_h2_open(&c->h2, t->limits, &t->stats->h2, t->opts->emit, t->opts->byte_cap, c) != 0) {
		return -1;
	}
	if (!c->cleartext && h2srv_tls_sealing(&c->tls)) {
		c->out.writev = h2srv_tls_write_slices; /* passes are sealed from the slices in place */
		t->stats->sealed++;
	}
	c->h2.now = uv_now(&t->loop);
	if (t->access_log->fd >= 0) {
		c->h2.on_done = log_access;
	}
	c->h2.on_wake = wake;
	c->state = H2SRV_CONN_OPEN;
	if (t->stopping) {
		h2srv_conn_goaway(c); /* accepted before the stop: told to go, not cut off */
	}
	return 0;
}

/* A cleartext connection's first bytes: the HTTP/2 preface means h2c, anything else HTTP/1.x
 * (where the listener takes it). Returns true once the session is started. */
static bool sniff(h2srv_conn_t *c, const char *p, size_t n)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	size_t k = MIN(n, sizeof(preface) - 1 - c->nsniffed);
	bool h2 = !c->http1 || memcmp(p, preface + c->nsniffed, k) == 0;

	if (c->http1 && h2 && c->nsniffed + k < sizeof(preface) - 1) {
		c->nsniffed += (uint8_t)k; /* all of it a prefix of the preface: wait for the rest */
		return false;
	}
	if (start_session(c, !h2) != 0) {
		c->abort = true;
		return false;
	}
	/* What was held back is the preface's start: give it first. */
	if (c->nsniffed && h2srv_proto_recv(&c->h2, preface, c->nsniffed) != 0) {
		return false;
	}
	return true;
}

/* Cleartext in, straight into the session, complete requests to PHP. */
static void input_plain(h2srv_conn_t *c, const char *p, size_t n)
{
	if (c->state == H2SRV_CONN_HANDSHAKE && !sniff(c, p, n)) {
		return;
	}
	if (c->state == H2SRV_CONN_OPEN && h2srv_proto_recv(&c->h2, p, n) == 0) {
		dispatch(c);
	}
}

/* The lent ciphertext through the handshake, decrypted into nghttp2, complete requests to PHP.
 * OpenSSL takes all of it unless the connection is ending. */
static void decrypt(h2srv_conn_t *c)
{
	h2srv_transport_t *t = c->t;
	const char *why;

	if (c->state == H2SRV_CONN_HANDSHAKE) {
		switch (h2srv_tls_handshake(&c->tls, &why)) {
		case H2SRV_TLS_AGAIN:
			return;
		case H2SRV_TLS_FATAL:
			t->stats->handshake_failures++;
			log_peer(c, "TLS handshake failed", why);
			c->state = H2SRV_CONN_FLUSHING; /* send the alert, then close */
			return;
		}
		t->stats->handshakes++;
		c->tls_facts = h2srv_tls_facts(&c->tls);
		if (!c->tls_facts || start_session(c, !h2srv_tls_alpn_h2(&c->tls)) != 0) {
			c->abort = true;
			return;
		}
	}
	for (;;) {
		ssize_t r = h2srv_tls_read(&c->tls, t->plainbuf, H2SRV_PLAIN_BUF);

		if (r == H2SRV_TLS_AGAIN) {
			break;
		}
		if (r < 0) {
			/* close_notify or a broken record: nothing more will be read. */
			c->peer_closed = r == H2SRV_TLS_CLOSED;
			c->state = H2SRV_CONN_FLUSHING;
			return;
		}
		if (h2srv_proto_recv(&c->h2, t->plainbuf, (size_t)r) != 0) {
			c->input_dropped = true; /* GOAWAY queued; the emit sends it and closes */
			return;
		}
	}
	dispatch(c);
}

/* Ciphertext in: lent to OpenSSL for the length of one decrypt, straight from the read buffer. */
static void input(h2srv_conn_t *c, const char *p, size_t n)
{
	if (c->state != H2SRV_CONN_HANDSHAKE && c->state != H2SRV_CONN_OPEN) {
		return;
	}
	/* A connection error dropped the rest of a read (see decrypt): OpenSSL must read nothing
	 * more, or the peer's next record would not decrypt and an alert would go out instead of
	 * the GOAWAY still queued behind a full socket. (Not after a graceful GOAWAY: requests the
	 * peer sent before it saw one are still read and served.) */
	if (c->input_dropped) {
		return;
	}
	h2srv_tls_feed(&c->tls, p, n);
	decrypt(c);
	h2srv_tls_feed(&c->tls, NULL, 0);
	follow_sealing(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	h2srv_conn_t *c = h->data;

	(void)suggested;
	buf->base = c->t->readbuf;
	buf->len = H2SRV_READ_BUF;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	h2srv_conn_t *c = st->data;

	if (nread == 0) {
		return;
	}
	if (nread < 0) {
		close_now(c); /* EOF or reset: the peer will read nothing more */
		return;
	}
	if (c->state == H2SRV_CONN_LINGER) {
		return;
	}
	c->last_read = c->h2.now = uv_now(&c->t->loop);
	c->t->stats->bytes_in += (uint64_t)nread;
	c->in_io = true;
	if (c->cleartext) {
		input_plain(c, buf->base, (size_t)nread);
	} else {
		input(c, buf->base, (size_t)nread);
	}
	c->in_io = false;
	if (c->abort) {
		close_now(c);
		return;
	}
	if (UNEXPECTED(c->h2.h1 != NULL) && c->h2.h1->paused && !c->reading_paused) {
		/* The pipeline is full: TCP pushes back on the client until it drains. */
		c->reading_paused = true;
		uv_read_stop(st);
	}
	h2srv_conn_emit(c);
}

/* The peer's IP address as text: from |known| (accept's), else asked of the socket. */
static zend_string *peer_address(uv_tcp_t *tcp, const struct sockaddr *known)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa);
	char ip[INET6_ADDRSTRLEN] = "?";

	if (known || uv_tcp_getpeername(tcp, (struct sockaddr *)&sa, &len) == 0) {
		const struct sockaddr *a = known ? known : (const struct sockaddr *)&sa;
		if (a->sa_family == AF_INET6) {
			uv_ip6_name((const struct sockaddr_in6 *)a, ip, sizeof(ip));
		} else if (a->sa_family == AF_INET) {
			uv_ip4_name((const struct sockaddr_in *)a, ip, sizeof(ip));
		}
	}
	return zend_string_init(ip, strlen(ip), 0);
}

void h2srv_conn_tick(h2srv_conn_t *c, uint64_t now, uint32_t refill)
{
	const h2srv_opts_t *o = c->t->opts;
	bool socket_full = c->writing || c->wq.len;

	if (c->state == H2SRV_CONN_CLOSED) {
		return;
	}
	if (c->state == H2SRV_CONN_LINGER) {
		if (now - c->born >= H2SRV_LINGER_MS) {
			close_now(c);
		}
		return;
	}
	if (c->state == H2SRV_CONN_HANDSHAKE || (c->state == H2SRV_CONN_OPEN && !c->h2.got_preface)) {
		if (now - c->born >= o->handshake_timeout_ms) {
			c->t->stats->timeouts_handshake++;
			h2srv_conn_abort(c);
		}
		return;
	}
	/* A peer that stops reading: the socket stays full, or its flow-control window stays shut. */
	if (c->state == H2SRV_CONN_OPEN && (c->h2.data_out != c->seen_data_out || !c->h2.nsending)) {
		c->seen_data_out = c->h2.data_out;
		c->last_data = now;
	}
	if ((socket_full && now - c->last_write >= o->write_timeout_ms)
		|| (c->state == H2SRV_CONN_OPEN && now - c->last_data >= o->write_timeout_ms)) {
		c->t->stats->timeouts_write++;
		h2srv_conn_abort(c);
		return;
	}
	if (c->state != H2SRV_CONN_OPEN) {
		return;
	}
	h2srv_h2_refill(&c->h2, refill);
	if (c->h2.nreading && (now - c->last_read >= o->read_timeout_ms
		|| (c->h2.h1 && h2srv_h1_headers_late(&c->h2, now, o->read_timeout_ms)))) {
		uint32_t n = h2srv_proto_cancel_incomplete(&c->h2);
		if (n) {
			c->t->stats->timeouts_read += n;
			h2srv_conn_want_emit(c);
		}
	}
	if (c->h2.goaway_notice_at) {
		c->h2.now = now;
		h2srv_h2_goaway_sweep(&c->h2);
		h2srv_conn_want_emit(c);
	}
	if (UNEXPECTED(c->t->stats->h2.ws.open != 0)) {
		c->h2.now = now;
		for (h2srv_stream_t *s = c->h2.streams; s; s = s->next) {
			if (s->ws) {
				h2srv_ws_sweep(s, now, c->h2.limits->ws_idle_ms);
			}
		}
		h2srv_conn_want_emit(c);
	}
	if (c->h2.streams || socket_full) {
		return;
	}
	if (now - MAX(c->last_read, c->last_write) >= o->idle_timeout_ms) {
		c->t->stats->timeouts_idle++;
		h2srv_proto_terminate(&c->h2);
		h2srv_conn_want_emit(c);
	} else if (now - MAX(c->last_read, c->last_write) >= H2SRV_SWEEP_MS) {
		/* Quiet for a tick: give back the buffers a busy connection keeps for reuse. */
		h2srv_emit_trim(&c->h2.emit);
		h2srv_proto_trim(&c->h2);
		if (!c->cleartext) {
			h2srv_tls_trim(&c->tls);
		}
		h2srv_buf_free(&c->wq);
		h2srv_buf_free(&c->inflight);
	}
}

/* The socket becomes the connection's handle, which closes it from then on; returns 0, or a
 * libuv error (the socket is closed). */
static int adopt(h2srv_conn_t *c, uv_stream_t *listener, int fd)
{
	int rc;

	if (fd < 0) {
		return uv_accept(listener, (uv_stream_t *)&c->tcp);
	}
	if ((rc = uv_tcp_open(&c->tcp, (uv_os_sock_t)fd)) != 0) {
		close(fd);
	}
	return rc;
}

void h2srv_conn_accept(h2srv_transport_t *t, uv_stream_t *listener, bool tls, bool http1, int fd,
	const struct sockaddr *peer)
{
	/* Persistent (libc's heap), like its buffers: after a burst, malloc_trim() gives back the
	 * pages of connections gone wherever they lay, while PHP's heap keeps every page of a chunk
	 * that still holds a live block. */
	h2srv_conn_t *c = pecalloc(1, sizeof(*c), 1);
	bool over = false;

	c->t = t;
	c->tcp.data = c;
	c->cleartext = !tls;
	c->http1 = http1;
	c->wq.persistent = c->inflight.persistent = true;
	uv_tcp_init(&t->loop, &c->tcp);
	/* Past max_connections the peer is accepted only to be closed: the backlog stays short. */
	if (adopt(c, listener, fd) != 0
		|| (over = t->nconns >= t->opts->max_connections)
		|| (!c->cleartext && h2srv_tls_open(&c->tls, t->ssl_ctx, &c->wq, t->opts->seal ? t->opts->byte_cap : 0,
			t->opts->key_records, http1) != 0)) {
		t->stats->conns_refused += over;
		h2srv_proto_close(&c->h2);
		c->state = H2SRV_CONN_CLOSED;
		uv_close((uv_handle_t *)&c->tcp, on_closed);
		return;
	}
	if (c->cleartext) {
		c->out = (h2srv_emit_out_t){write_plain, t->opts->emit == H2SRV_EMIT_GATHER ? write_vec : NULL, c};
	} else {
		c->out = (h2srv_emit_out_t){h2srv_tls_write, NULL, &c->tls};
	}
	c->state = H2SRV_CONN_HANDSHAKE; /* TLS, or a cleartext connection's first bytes */
	uv_tcp_nodelay(&c->tcp, 1);
	c->remote = peer_address(&c->tcp, peer);
	c->born = c->last_read = c->last_write = c->last_data = uv_now(&t->loop);
	c->next = t->conns;
	if (t->conns) {
		t->conns->prev = c;
	}
	t->conns = c;
	t->nconns++;
	t->stats->conns_open++;
	t->conns_peak = MAX(t->conns_peak, t->nconns);
	h2srv_balance_conns(t->balance, t->nconns);
	t->stats->conns_total++;
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

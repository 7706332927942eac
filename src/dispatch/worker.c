#include "php.h"
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <fcntl.h>
#include "dispatch/worker.h"
#include "dispatch/wire.h"
#include "h2/session.h"
#include "ws/socket.h"
#include "log.h"

/* A work pass takes requests until the queue is empty, H2SRV_PASS_NS have gone by or
 * H2SRV_PASS_MAX were taken; then the loop runs (timers, sockets, notices). Each loop turn costs
 * an epoll_wait, a syscall (about 1.1 us on the bench machine), so a pass is bounded by time
 * rather than by a small count. */
#define H2SRV_PASS_NS 1000000
#define H2SRV_PASS_MAX 256
#define H2SRV_DATA_CHUNK (64 * 1024) /* bytes per DATA message */
#define H2SRV_SPACE_WAIT_MS 100    /* ms between checks while a ring is full */
#define H2SRV_WAKE_AFTER_NS 200000 /* ns of a pass after which its answers go out at once */

/* One request this worker took and has not finished. */
typedef struct h2srv_binding {
	h2srv_worker_t *w;
	h2srv_stream_t *s;             /* the worker's copy of the request, with a reference */
	uint32_t reactor;
	uint32_t ticket;
	uint32_t gen;
	size_t credit;                 /* body bytes a fed response may send before the next MORE */
	zend_string *body;             /* an end() body too big to send at once: sent as credit comes */
	size_t body_off;
	bool done;                     /* the last part went out */
	bool closed;                   /* the reactor said the stream is gone */
	bool want;                     /* its producer should run */
	bool input;                    /* body bytes or WebSocket messages arrived for PHP */
	bool partial;                  /* a WebSocket message is arriving in parts... */
	size_t partial_at;             /* ... from here in the inbox */
	size_t ws_taken;               /* inbox bytes PHP took that the reactor was not told of yet */
	bool ready;                    /* on the worker's ready list */
	bool going;                    /* being let go of: never listed again */
	struct h2srv_binding *ready_next;
	struct h2srv_binding *same_ticket; /* another live one under this ticket (see by_ticket) */
} h2srv_binding_t;

static void schedule(h2srv_worker_t *w);
static void wake_reactors(h2srv_worker_t *w);

/* ---- the requests held ------------------------------------------------------------------- */

/* Puts |b| on the list the next work pass looks at: input for PHP, a producer to run, or a
 * request to let go of. A pass visits those, not every request held: with 10,000 WebSockets
 * open here, walking them all each loop turn made every message cost 4 us more. */
static void mark(h2srv_binding_t *b)
{
	if (!b->ready && !b->going) {
		b->ready = true;
		b->ready_next = b->w->ready;
		b->w->ready = b;
	}
	schedule(b->w);
}

static void index_add(h2srv_worker_t *w, h2srv_binding_t *b)
{
	uint32_t *n = &w->nby_ticket[b->reactor];

	if (b->ticket >= *n) {
		uint32_t grown = MAX(b->ticket + 1, *n * 2);
		w->by_ticket[b->reactor] = erealloc(w->by_ticket[b->reactor], grown * sizeof(h2srv_binding_t *));
		memset(w->by_ticket[b->reactor] + *n, 0, (grown - *n) * sizeof(h2srv_binding_t *));
		*n = grown;
	}
	b->same_ticket = w->by_ticket[b->reactor][b->ticket];
	w->by_ticket[b->reactor][b->ticket] = b;
}

static void index_remove(h2srv_worker_t *w, h2srv_binding_t *b)
{
	h2srv_binding_t **p = &w->by_ticket[b->reactor][b->ticket];

	while (*p != b) {
		p = &(*p)->same_ticket;
	}
	*p = b->same_ticket;
}

/* The live request a reactor's message names, or NULL (gone meanwhile). */
static h2srv_binding_t *find(h2srv_worker_t *w, uint32_t reactor, const h2srv_msg_t *m)
{
	h2srv_binding_t *b = m->ticket < w->nby_ticket[reactor] ? w->by_ticket[reactor][m->ticket] : NULL;

	while (b && b->gen != m->gen) {
		b = b->same_ticket;
	}
	return b;
}

/* ---- sending to a reactor ------------------------------------------------------------------ */

/* Room for a message of |len| bytes to reactor |r|: waits while its ring is full (the reactor
 * empties it every loop turn, whatever its peers do); NULL if the reactor is gone. */
static h2srv_msg_t *reserve(h2srv_worker_t *w, uint32_t r, size_t len)
{
	h2srv_ring_t *ring = h2srv_region_out(w->g, w->id, r);
	h2srv_msg_t *m;

	while (!(m = h2srv_ring_reserve(ring, &w->out_pos[r], (uint32_t)len))) {
		struct pollfd pfd = {w->wake->efd, POLLIN, 0};
		int32_t pid = w->g->reactor_wake[r].pid;

		if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
			return NULL;
		}
		__atomic_store_n(&ring->producer_waits, 1, __ATOMIC_RELAXED);
		h2srv_wake_sleep(w->wake);
		w->unwoken |= 1ull << r;
		wake_reactors(w);
		if ((m = h2srv_ring_reserve(ring, &w->out_pos[r], (uint32_t)len))) {
			h2srv_wake_up(w->wake);
			break;
		}
		poll(&pfd, 1, H2SRV_SPACE_WAIT_MS);
		h2srv_wake_up(w->wake);
	}
	return m;
}

static h2srv_msg_t *begin(h2srv_binding_t *b, uint16_t type, uint16_t flags, size_t payload)
{
	h2srv_msg_t *m = reserve(b->w, b->reactor, sizeof(*m) + payload);

	if (m) {
		m->len = (uint32_t)(sizeof(*m) + payload);
		m->type = type;
		m->flags = flags;
		m->ticket = b->ticket;
		m->gen = b->gen;
	}
	return m;
}

static void commit(h2srv_binding_t *b, h2srv_msg_t *m)
{
	h2srv_ring_commit(h2srv_region_out(b->w->g, b->w->id, b->reactor), &b->w->out_pos[b->reactor], m);
	b->w->unwoken |= 1ull << b->reactor;
}

/* Wakes the reactors this worker wrote to since the last call, if they sleep. Once per pass
 * of requests, not per message: a reactor woken for each response would preempt this worker
 * for each one. */
static void wake_reactors(h2srv_worker_t *w)
{
	while (w->unwoken) {
		uint32_t r = (uint32_t)__builtin_ctzll(w->unwoken);
		w->unwoken &= w->unwoken - 1;
		h2srv_wake(&w->g->reactor_wake[r]);
	}
}

static void send_simple(h2srv_binding_t *b, uint16_t type)
{
	h2srv_msg_t *m = begin(b, type, 0, 0);

	if (m) {
		commit(b, m);
	}
}

static void send_data(h2srv_binding_t *b, const char *p, size_t n, bool last)
{
	do {
		size_t k = MIN(n, H2SRV_DATA_CHUNK);
		bool end = last && k == n;
		h2srv_wire_data_t d = {(uint32_t)k, 0};
		h2srv_msg_t *m = begin(b, H2SRV_MSG_DATA, end ? H2SRV_MF_LAST : 0, sizeof(d) + k);

		if (!m) {
			return;
		}
		memcpy(m + 1, &d, sizeof(d));
		memcpy((char *)(m + 1) + sizeof(d), p, k);
		commit(b, m);
		p += k;
		n -= k;
	} while (n);
}

static size_t fields_bytes(const nghttp2_nv *nv, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		len += sizeof(h2srv_wire_field_t) + nv[i].namelen + nv[i].valuelen;
	}
	return len;
}

/* Sends HEAD: status, fields and |tail| (a path, or with H2SRV_MF_INPLACE a body laid out as a
 * zend_string, see wire.h). */
static bool send_head(h2srv_binding_t *b, uint16_t flags, h2srv_wire_head_t *h, const nghttp2_nv *nv, size_t n,
	const char *tail, size_t tail_len)
{
	size_t fields_end = sizeof(h2srv_msg_t) + sizeof(*h) + fields_bytes(nv, n);
	size_t body_at = (flags & H2SRV_MF_INPLACE) ? h2srv_wire_body_at(fields_end) + _ZSTR_HEADER_SIZE : fields_end;
	size_t payload = body_at + tail_len + 1 - sizeof(h2srv_msg_t);
	h2srv_ring_t *ring = h2srv_region_out(b->w->g, b->w->id, b->reactor);
	h2srv_msg_t *m;
	unsigned char *p;

	if (sizeof(*m) + payload > h2srv_ring_max(ring)) {
		return false;
	}
	if (!(m = begin(b, H2SRV_MSG_HEAD, flags, payload))) {
		return true; /* the reactor is gone, and the stream with it */
	}
	h->nfields = (uint32_t)n;
	h->body_len = (uint32_t)tail_len;
	p = (unsigned char *)(m + 1);
	memcpy(p, h, sizeof(*h));
	p += sizeof(*h);
	for (size_t i = 0; i < n; i++) {
		p = h2srv_wire_put_field(p, nv[i].name, nv[i].namelen, nv[i].value, nv[i].valuelen);
	}
	p = (unsigned char *)m + body_at;
	memcpy(p, tail, tail_len); /* the one copy of the body */
	p[tail_len] = '\0';
	commit(b, m);
	return true;
}

/* ---- the answer over shared memory (answer.h) ----------------------------------------------- */

static inline h2srv_binding_t *binding(const h2srv_stream_t *s)
{
	return s->remote;
}



static bool r_open(const h2srv_stream_t *s)
{
	h2srv_binding_t *b = binding(s);

	/* Once the worker is closed (a stop that timed out) its rings are gone: the responses PHP
	 * drops as it ends answer nothing (the reactors answer for this process once it is gone). */
	return b && b->w->open && !b->closed && !b->done;
}

static int r_respond(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, zend_string *body)
{
	h2srv_binding_t *b = binding(s);
	h2srv_wire_head_t h = {.status = (uint16_t)status, .size = body ? (int64_t)ZSTR_LEN(body) : 0};
	size_t blen = body ? ZSTR_LEN(body) : 0;

	if (!r_open(s)) {
		if (body) {
			zend_string_release(body);
		}
		return -1;
	}
	/* A body past what a slow peer should make the reactor hold goes out as the stream's window
	 * takes it, like stream(): this worker keeps the string (PHP made it anyway) and is free for
	 * other requests meanwhile. */
	if (blen > H2SRV_FED_HIGH) {
		if (!send_head(b, H2SRV_MF_FED, &h, nv, nvlen, "", 0)) {
			h2srv_log(H2SRV_LOG_ERROR, "response headers too large for shared memory; stream reset");
			b->done = true;
			send_simple(b, H2SRV_MSG_RESET);
			zend_string_release(body);
		} else {
			b->body = body;
			b->credit = H2SRV_FED_HIGH;
			b->want = true;
		}
		mark(b);
		return 0;
	}
	b->done = true;
	if (!send_head(b, H2SRV_MF_LAST | H2SRV_MF_INPLACE, &h, nv, nvlen, body ? ZSTR_VAL(body) : "", blen)) {
		h2srv_log(H2SRV_LOG_ERROR, "response headers too large for shared memory; stream reset");
		send_simple(b, H2SRV_MSG_RESET);
	}
	if (body) {
		zend_string_release(body);
	}
	mark(b); /* to let go of the binding */
	return 0;
}

static int r_respond_fed(h2srv_stream_t *s, int status, const nghttp2_nv *nv, size_t nvlen, int fd, int64_t size)
{
	h2srv_binding_t *b = binding(s);
	h2srv_wire_head_t h = {.status = (uint16_t)status, .size = size};

	if (!r_open(s)) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	if (fd >= 0) {
		/* The file itself goes to the reactor (SCM_RIGHTS), before the message that names it:
		 * the reactor finds it waiting when it reads the message. */
		char link[64], path[4096];
		struct stat st;
		ssize_t n;
		/* lane, its life, a count: a reactor drops the files of a life that ended */
		uint64_t token = (uint64_t)b->w->id << 48 | (uint64_t)(b->w->wake->life & 0xffff) << 32 | ++b->w->files_sent;

		b->done = true;
		if (h2srv_files_send(b->w->g->reactor_wake[b->reactor].files[1], fd, token) == 0) {
			close(fd);
			h.ino = token;
			send_head(b, H2SRV_MF_FILE | H2SRV_MF_PASSED, &h, nv, nvlen, "", 0);
			mark(b);
			return 0;
		}
		/* Its socket is full: the reactor opens the file again by its path and checks that it
		 * is this one. */
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n <= 0 || fstat(fd, &st) != 0) {
			close(fd);
			send_simple(b, H2SRV_MSG_RESET);
			mark(b);
			return 0;
		}
		close(fd);
		h.dev = (uint64_t)st.st_dev;
		h.ino = (uint64_t)st.st_ino;
		h.offset = (uint64_t)MAX(lseek(fd, 0, SEEK_CUR), 0); /* sendFile() of a range seeked it */
		send_head(b, H2SRV_MF_FILE, &h, nv, nvlen, path, (size_t)n);
		mark(b);
		return 0;
	}
	if (!send_head(b, H2SRV_MF_FED, &h, nv, nvlen, "", 0)) {
		b->done = true;
		send_simple(b, H2SRV_MSG_RESET);
		mark(b);
		return 0;
	}
	b->credit = H2SRV_FED_HIGH;
	b->want = true;
	mark(b);
	return 0;
}

static void r_set_trailers(h2srv_stream_t *s, zend_string **pairs, uint32_t n)
{
	h2srv_binding_t *b = binding(s);
	size_t payload = sizeof(uint32_t);
	uint32_t count = n / 2;
	h2srv_msg_t *m;

	for (uint32_t i = 0; i < n; i++) {
		payload += ZSTR_LEN(pairs[i]) + (i % 2 ? 0 : sizeof(h2srv_wire_field_t));
	}
	if (r_open(s) && sizeof(*m) + payload <= h2srv_ring_max(h2srv_region_out(b->w->g, b->w->id, b->reactor))
		&& (m = begin(b, H2SRV_MSG_TRAILERS, 0, payload))) {
		unsigned char *p = (unsigned char *)(m + 1);
		memcpy(p, &count, sizeof(count));
		p += sizeof(count);
		for (uint32_t i = 0; i < count; i++) {
			p = h2srv_wire_put_field(p, ZSTR_VAL(pairs[2 * i]), ZSTR_LEN(pairs[2 * i]), ZSTR_VAL(pairs[2 * i + 1]),
				ZSTR_LEN(pairs[2 * i + 1]));
		}
		commit(b, m);
	}
	for (uint32_t i = 0; i < n; i++) {
		zend_string_release(pairs[i]);
	}
	efree(pairs);
}

static bool r_write(h2srv_stream_t *s, const char *p, size_t n, bool last)
{
	h2srv_binding_t *b = binding(s);

	if (!r_open(s)) {
		return false;
	}
	send_data(b, p, n, last);
	b->credit = n >= b->credit ? 0 : b->credit - n;
	if (last) {
		b->done = true;
		mark(b);
	}
	return !last && b->credit > 0 && !b->closed;
}

static void r_want_more(h2srv_stream_t *s)
{
	h2srv_binding_t *b = binding(s);

	if (r_open(s)) {
		b->want = true;
		mark(b);
	}
}

static void r_reset(h2srv_stream_t *s)
{
	h2srv_binding_t *b = binding(s);

	if (r_open(s)) {
		b->done = true;
		send_simple(b, H2SRV_MSG_RESET);
		mark(b);
	}
}

static void r_consumed(h2srv_stream_t *s, size_t n)
{
	h2srv_binding_t *b = binding(s);
	h2srv_wire_count_t c = {n};
	h2srv_msg_t *m;

	if (n && r_open(s) && (m = begin(b, H2SRV_MSG_CONSUMED, 0, sizeof(c)))) {
		memcpy(m + 1, &c, sizeof(c));
		commit(b, m);
	}
}

static void r_want_input(h2srv_stream_t *s)
{
	h2srv_binding_t *b = binding(s);

	if (b) {
		b->input = true;
		mark(b);
	}
}

/* The reactor reads the frames; this copy of the stream keeps only an inbox of the messages it
 * forwards (WS_IN), which websocket.c reads as it would the socket's own. */
static void r_ws_open(h2srv_stream_t *s, const h2srv_ws_deflate_t *deflate)
{
	h2srv_binding_t *b = binding(s);
	h2srv_wire_ws_open_t o = {0};
	h2srv_msg_t *m;

	if (!r_open(s)) {
		return;
	}
	if (deflate) {
		o = (h2srv_wire_ws_open_t){1, deflate->client_bits, deflate->server_bits, deflate->client_no_takeover, 0};
	}
	if ((m = begin(b, H2SRV_MSG_WS_OPEN, 0, sizeof(o)))) {
		memcpy(m + 1, &o, sizeof(o));
		commit(b, m);
	}
	if (!s->ws) {
		s->ws = ecalloc(1, sizeof(*s->ws));
	}
	b->credit = H2SRV_FED_HIGH;
}

static bool r_ws_send(h2srv_stream_t *s, bool binary, const char *p, size_t n)
{
	h2srv_binding_t *b = binding(s);
	size_t off = 0;

	if (!r_open(s)) {
		return false;
	}
	do {
		size_t k = MIN(n - off, H2SRV_DATA_CHUNK);
		h2srv_wire_part_t part = {binary, (uint32_t)n, (uint32_t)k, 0};
		uint16_t flags = (off == 0 ? H2SRV_MF_FIRST : 0) | (off + k == n ? H2SRV_MF_LAST : 0);
		h2srv_msg_t *m = begin(b, H2SRV_MSG_WS_SEND, flags, sizeof(part) + k);
		if (!m) {
			return false;
		}
		memcpy(m + 1, &part, sizeof(part));
		memcpy((char *)(m + 1) + sizeof(part), p + off, k);
		commit(b, m);
		off += k;
	} while (off < n);
	/* the same credit as a fed body's: a MORE comes back once the socket's output ran low */
	b->credit = n >= b->credit ? 0 : b->credit - n;
	return b->credit > 0;
}

static void r_ws_close(h2srv_stream_t *s, uint16_t code, const char *reason, size_t len)
{
	h2srv_binding_t *b = binding(s);
	h2srv_wire_part_t part = {code, (uint32_t)len, (uint32_t)len, 0};
	h2srv_msg_t *m;

	if (r_open(s) && (m = begin(b, H2SRV_MSG_WS_CLOSE, 0, sizeof(part) + len))) {
		memcpy(m + 1, &part, sizeof(part));
		memcpy((char *)(m + 1) + sizeof(part), reason, len);
		commit(b, m);
	}
}

static const h2srv_answer_t remote_answer = {
	r_respond, r_respond_fed, r_set_trailers, r_write, r_want_more, r_reset, r_open,
	r_consumed, r_want_input, r_ws_open, r_ws_send, r_ws_close
};

/* ---- taking requests ------------------------------------------------------------------------ */

static void send_taken(h2srv_worker_t *w, uint32_t reactor, uint32_t slot, uint32_t ticket, uint32_t gen)
{
	h2srv_binding_t tmp = {.w = w, .reactor = reactor, .ticket = ticket, .gen = gen};
	h2srv_wire_taken_t tn = {slot, w->wake->life};
	h2srv_msg_t *m = begin(&tmp, H2SRV_MSG_TAKEN, 0, sizeof(tn));

	if (m) {
		memcpy(m + 1, &tn, sizeof(tn));
		commit(&tmp, m);
	}
}

/* A body the reactor spooled only because no slot held it: in memory again, as it would be in
 * connection dispatch (it is under body_buffer_size). */
static void read_back(h2srv_stream_t *s)
{
	int fd = open(ZSTR_VAL(s->spool_path), O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		return; /* left as a spooled body: body() names the file's problem */
	}
	s->body.len = 0;
	do {
		h2srv_buf_reserve(&s->body, 64 * 1024);
		n = read(fd, s->body.data + s->body.len, s->body.cap - s->body.len);
		if (n > 0) {
			s->body.len += (size_t)n;
		}
	} while (n > 0);
	close(fd);
	if (n < 0) {
		s->body.len = 0;
		return;
	}
	unlink(ZSTR_VAL(s->spool_path));
	zend_string_release(s->spool_path);
	s->spool_path = NULL;
}

/* A connection's TLS facts come with each of its requests; decoding them (a client
 * certificate is parsed) is done once per connection seen recently, not per request. */
#define H2SRV_FACTS_CACHE 16

static struct {
	unsigned char *wire;
	size_t len;
	h2srv_tls_facts_t *facts;
} facts_cache[H2SRV_FACTS_CACHE];
static uint32_t facts_next;

/* The facts |wire| encodes, with a reference for the caller, or NULL. */
static h2srv_tls_facts_t *facts_of(const unsigned char *wire, size_t len)
{
	h2srv_tls_facts_t *f;
	uint32_t k;

	for (k = 0; k < H2SRV_FACTS_CACHE; k++) {
		if (facts_cache[k].len == len && memcmp(facts_cache[k].wire, wire, len) == 0) {
			facts_cache[k].facts->refs++;
			return facts_cache[k].facts;
		}
	}
	if (!(f = h2srv_tls_facts_decode(wire, len))) {
		return NULL;
	}
	k = facts_next++ % H2SRV_FACTS_CACHE;
	h2srv_tls_facts_release(facts_cache[k].facts);
	free(facts_cache[k].wire);
	facts_cache[k].len = 0;
	if ((facts_cache[k].wire = malloc(len))) {
		memcpy(facts_cache[k].wire, wire, len);
		facts_cache[k].len = len;
		facts_cache[k].facts = f;
		f->refs++;
	} else {
		facts_cache[k].facts = NULL;
	}
	return f;
}

/* The request in |sl| as a stream of this process. */
static h2srv_stream_t *copy_request(const h2srv_req_slot_t *sl)
{
	h2srv_stream_t *s = h2srv_stream_new(NULL, sl->stream_id);
	const unsigned char *p = sl->data;
	size_t fbytes = sl->nfields * sizeof(h2srv_field_t);

	s->flags = sl->stream_flags & (H2SRV_STREAM_HEAD | H2SRV_STREAM_REQ_DONE | H2SRV_STREAM_H1 | H2SRV_STREAM_H10
		| H2SRV_STREAM_EARLY | H2SRV_STREAM_WS);
	if (s->flags & H2SRV_STREAM_EARLY) {
		s->flags &= ~H2SRV_STREAM_REQ_DONE; /* its end comes as a BODY message */
	}
	if (sl->nfields > s->cap_fields) {
		s->fields = erealloc(s->fields, sl->nfields * sizeof(*s->fields));
		s->cap_fields = sl->nfields;
	}
	memcpy(s->fields, p, fbytes);
	s->nfields = sl->nfields;
	p += fbytes;
	/* Tight: a request held for long (10,000 WebSockets) keeps it, and only an early body's
	 * trailers ever add to it. */
	h2srv_buf_set_tight(&s->hbytes, p, sl->hbytes_len);
	p += sl->hbytes_len;
	s->body.len = 0;
	if (sl->body_len) {
		h2srv_buf_append(&s->body, p, sl->body_len);
	}
	p += sl->body_len;
	if (sl->spool_len) {
		s->spool_path = zend_string_init((const char *)p, sl->spool_len, 0);
		if (sl->carried) {
			read_back(s);
		}
	}
	s->f_method = sl->f_method;
	s->f_path = sl->f_path;
	s->f_authority = sl->f_authority;
	s->f_trailers = sl->f_trailers;
	s->body_size = sl->body_size;
	return s;
}

static void unlink_binding(h2srv_worker_t *w, h2srv_binding_t *b)
{
	w->nlive--;
	index_remove(w, b);
}

/* Takes one request and runs its handler; returns false when the queue was empty. */
static bool take_one(h2srv_worker_t *w)
{
	uint32_t reactor, slot;
	h2srv_req_slot_t *sl;
	h2srv_binding_t *b;
	h2srv_stream_t *s;
	h2srv_peer_t peer;

	reactor = w->next_queue;
	if (!h2srv_queue_take(w->g, w->id, &reactor, &slot)) {
		return false;
	}
	w->next_queue = reactor + 1 < w->g->reactors ? reactor + 1 : 0; /* each reactor in turn */
	h2srv_queue_prefetch(w->g, w->next_queue);
	sl = h2srv_region_slot(w->g, reactor, slot);
	if (__atomic_load_n(&sl->cancelled, __ATOMIC_RELAXED)) {
		if (sl->spool_len) {
			char path[4096];
			size_t len = MIN(sl->spool_len, sizeof(path) - 1);
			memcpy(path, sl->data + sl->nfields * sizeof(h2srv_field_t) + sl->hbytes_len, len);
			path[len] = '\0';
			unlink(path);
		}
		send_taken(w, reactor, slot, sl->ticket, sl->gen);
		return true;
	}
	s = copy_request(sl);
	{
		const unsigned char *p = sl->data + sl->nfields * sizeof(h2srv_field_t) + sl->hbytes_len + sl->body_len
			+ sl->spool_len;
		peer.remote = zend_string_init((const char *)p, sl->remote_len, 0);
		peer.tls = sl->tls_len ? facts_of(p + sl->remote_len, sl->tls_len) : NULL;
	}
	b = ecalloc(1, sizeof(*b));
	b->w = w;
	b->s = s;
	b->reactor = reactor;
	b->ticket = sl->ticket;
	b->gen = sl->gen;
	s->remote = b;
	w->nlive++;
	index_add(w, b);
	/* The slot is the reactor's again once this is read. */
	send_taken(w, reactor, slot, b->ticket, b->gen);
	w->calls->serve(w->ctx, s, &peer, &remote_answer);
	zend_string_release(peer.remote);
	h2srv_tls_facts_release(peer.tls);
	return true;
}

/* An early body's bytes or end, or part of a WebSocket message, for this binding's PHP. */
static void take_input(h2srv_binding_t *b, const h2srv_msg_t *m)
{
	h2srv_stream_t *s = b->s;
	const char *p = (const char *)(m + 1);
	size_t n = m->len - sizeof(*m);

	if (m->type == H2SRV_MSG_BODY) {
		if (!(m->flags & H2SRV_MF_LAST)) {
			h2srv_wire_data_t d;
			memcpy(&d, p, sizeof(d));
			h2srv_buf_append(&s->body, p + sizeof(d), MIN(d.len, n - sizeof(d)));
			s->body_size += d.len;
		} else {
			/* the end, and the trailers: fields after the headers, as they arrived there */
			const unsigned char *q = (const unsigned char *)p + sizeof(uint32_t), *name;
			uint32_t count;
			memcpy(&count, p, sizeof(count));
			for (uint32_t k = 0; k < count; k++) {
				h2srv_wire_field_t f;
				uint32_t i;
				q = h2srv_wire_get_field(q, &f, &name);
				i = h2srv_stream_add_field(s, name, f.nlen, name + f.nlen, f.vlen);
				if (s->f_trailers == H2SRV_FIELD_NONE) {
					s->f_trailers = i;
				}
			}
			s->flags |= H2SRV_STREAM_REQ_DONE;
		}
	} else if (s->ws) {
		h2srv_wire_part_t part;
		memcpy(&part, p, sizeof(part));
		if (m->flags & H2SRV_MF_FIRST) {
			h2srv_ws_in_t in = {part.total, part.kind};
			b->partial = true;
			b->partial_at = s->ws->inbox.len;
			h2srv_buf_append(&s->ws->inbox, &in, sizeof(in));
			if (part.kind == H2SRV_WS_IN_CLOSE) {
				s->ws->told = true; /* the socket's own close, not the 1006 of a vanished stream */
			}
		}
		if (part.len) {
			h2srv_buf_append(&s->ws->inbox, p + sizeof(part), MIN(part.len, n - sizeof(part)));
		}
		if (!(m->flags & H2SRV_MF_LAST)) {
			return; /* PHP sees whole messages */
		}
		b->partial = false;
	}
	b->input = true;
	mark(b);
}

/* Notices from the reactors: more body wanted, a stream gone, input. */
static void read_inboxes(h2srv_worker_t *w)
{
	for (uint32_t r = 0; r < w->g->reactors; r++) {
		h2srv_ring_t *ring = h2srv_region_inbox(w->g, w->id, r);
		h2srv_msg_t *m;

		bool took = false;

		while ((m = h2srv_ring_peek(ring))) {
			h2srv_binding_t *b = find(w, r, m);
			took = true;
			if (b && m->type == H2SRV_MSG_MORE) {
				b->credit = H2SRV_FED_HIGH;
				b->want = true;
				mark(b);
			} else if (b && m->type == H2SRV_MSG_CLOSED) {
				b->closed = true;
				mark(b);
			} else if (b && (m->type == H2SRV_MSG_BODY || m->type == H2SRV_MSG_WS_IN)) {
				take_input(b, m);
			}
			h2srv_ring_done(ring, m);
		}
		/* A reactor with input for us waits for this room. */
		if (took && __atomic_load_n(&w->g->reactor_wake[r].wants_space, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&w->g->reactor_wake[r].wants_space, 0, __ATOMIC_RELAXED);
			h2srv_wake(&w->g->reactor_wake[r]);
		}
	}
}

static bool inboxes_empty(h2srv_worker_t *w)
{
	for (uint32_t r = 0; r < w->g->reactors; r++) {
		if (!h2srv_ring_empty(h2srv_region_inbox(w->g, w->id, r))) {
			return false;
		}
	}
	return true;
}

/* Sends as much of a kept end() body as the credit allows. */
static void feed_body(h2srv_binding_t *b)
{
	size_t left = ZSTR_LEN(b->body) - b->body_off;
	size_t k = MIN(left, b->credit);

	send_data(b, ZSTR_VAL(b->body) + b->body_off, k, k == left);
	b->body_off += k;
	b->credit -= k;
	if (k == left) {
		zend_string_release(b->body);
		b->body = NULL;
		b->done = true;
	}
}

/* Runs wanted producers and lets go of finished requests, of those on the ready list. */
static void tend(h2srv_worker_t *w)
{
	h2srv_binding_t *list = w->ready, *b, *next;

	/* What the passes below mark goes on a new list, for the next pass (one on this list that
	 * is marked again meanwhile is looked at once more at the end). */
	w->ready = NULL;
	for (b = list; b; b = b->ready_next) {
		if (b->input && r_open(b->s)) {
			h2srv_ws_t *ws = b->s->ws;
			size_t held = ws ? ws->inbox.len - ws->inbox_off : 0;
			b->input = false;
			w->calls->input(w->ctx, b->s);
			/* The reactor sends a socket's messages only while this copy holds (it counts) less
			 * than the inbox's high-water mark: say what PHP took, in batches of half of it,
			 * which is never enough to hold the reactor back with nothing held here. */
			if (ws && held > ws->inbox.len - ws->inbox_off
				&& (b->ws_taken += held - (ws->inbox.len - ws->inbox_off)) >= H2SRV_WS_INBOX_HIGH / 2) {
				r_consumed(b->s, b->ws_taken);
				b->ws_taken = 0;
			}
		}
	}
	for (b = list; b; b = b->ready_next) {
		if (b->want && b->credit && r_open(b->s)) {
			b->want = false;
			if (b->body) {
				feed_body(b);
			} else {
				w->calls->produce(w->ctx, b->s);
			}
		}
	}
	for (b = list; b; b = next) {
		next = b->ready_next;
		b->ready = false;
		if (!b->done && !b->closed) {
			/* a response kept for later (deferred, stream()), maybe with work come meanwhile */
			if (b->input || (b->want && b->credit)) {
				mark(b);
			}
			continue;
		}
		b->going = true; /* what its release runs must not list it again */
		unlink_binding(w, b);
		if (b->body) {
			zend_string_release(b->body);
		}
		if (b->partial && b->s->ws) {
			b->s->ws->inbox.len = b->partial_at; /* a message cut short by the close is no message */
		}
		if (b->s->side_data) {
			w->calls->closed(w->ctx, b->s);
		}
		b->s->remote = NULL;
		h2srv_stream_unref(b->s);
		efree(b); /* (what its release finished is marked, for the next pass) */
	}
}

static bool has_work(h2srv_worker_t *w)
{
	return (!w->stopping && !h2srv_queue_empty(w->g)) || !inboxes_empty(w) || w->ready;
}

static void on_idle(uv_idle_t *h)
{
	h2srv_worker_t *w = h->data;
	uint64_t start, woke, now;

	if (w->busy) {
		return;
	}
	w->busy = true;
	read_inboxes(w);
	tend(w);
	start = woke = uv_hrtime();
	for (int i = 0; i < H2SRV_PASS_MAX && !w->stopping && take_one(w); i++) {
		tend(w);
		now = uv_hrtime();
		/* A slow handler's answer does not wait for the rest of the pass. */
		if (w->unwoken && now - woke > H2SRV_WAKE_AFTER_NS) {
			wake_reactors(w);
			woke = now;
		}
		if (now - start > H2SRV_PASS_NS) {
			break;
		}
	}
	wake_reactors(w);
	w->busy = false;
	if (!w->open) {
		return;
	}
	if (!has_work(w)) {
		uv_idle_stop(h);
	}
	if (w->stopping && w->nlive == 0) {
		w->calls->drained(w->ctx);
	}
}

static void schedule(h2srv_worker_t *w)
{
	if (w->open && !uv_is_active((uv_handle_t *)&w->idle)) {
		uv_idle_start(&w->idle, on_idle);
	}
}

static void on_prepare(uv_prepare_t *h)
{
	h2srv_worker_t *w = h->data;

	wake_reactors(w); /* what timers and other callbacks sent */
	if (uv_is_active((uv_handle_t *)&w->idle)) {
		return;
	}
	h2srv_wake_sleep(w->wake);
	if (has_work(w)) {
		h2srv_wake_up(w->wake);
		schedule(w);
	}
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	h2srv_worker_t *w = h->data;

	(void)status; (void)events;
	h2srv_wake_up(w->wake);
	schedule(w);
}

void h2srv_worker_start(h2srv_worker_t *w, uv_loop_t *loop, h2srv_region_t *g, uint32_t id,
	const h2srv_worker_calls_t *calls, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->g = g;
	w->id = id;
	w->wake = &g->worker_wake[id];
	w->wake->pid = (int32_t)getpid();
	w->calls = calls;
	w->ctx = ctx;
	w->out_pos = ecalloc(g->reactors, sizeof(uint64_t));
	w->by_ticket = ecalloc(g->reactors, sizeof(*w->by_ticket));
	w->nby_ticket = ecalloc(g->reactors, sizeof(uint32_t));
	for (uint32_t r = 0; r < g->reactors; r++) {
		/* A predecessor's half-written message is written over. */
		w->out_pos[r] = __atomic_load_n(&h2srv_region_out(g, id, r)->tail, __ATOMIC_ACQUIRE);
	}
	uv_poll_init(loop, &w->poll, w->wake->efd);
	uv_prepare_init(loop, &w->prepare);
	uv_idle_init(loop, &w->idle);
	w->poll.data = w->prepare.data = w->idle.data = w;
	uv_poll_start(&w->poll, UV_READABLE, on_poll);
	uv_prepare_start(&w->prepare, on_prepare);
	uv_unref((uv_handle_t *)&w->prepare);
	uv_unref((uv_handle_t *)&w->idle);
	w->open = true;
	schedule(w);
}

void h2srv_worker_stop(h2srv_worker_t *w)
{
	if (!w->open || w->stopping) {
		return;
	}
	w->stopping = true;
	if (w->nlive == 0) {
		w->calls->drained(w->ctx);
	}
}

void h2srv_worker_close(h2srv_worker_t *w)
{
	if (!w->open) {
		return;
	}
	w->open = false;
	uv_close((uv_handle_t *)&w->poll, NULL);
	uv_close((uv_handle_t *)&w->prepare, NULL);
	uv_close((uv_handle_t *)&w->idle, NULL);
	efree(w->out_pos);
	for (uint32_t r = 0; r < w->g->reactors; r++) {
		if (w->by_ticket[r]) {
			efree(w->by_ticket[r]);
		}
	}
	efree(w->by_ticket);
	efree(w->nby_ticket);
	w->by_ticket = NULL; /* (nothing is let go of from here on: no work pass runs) */
}

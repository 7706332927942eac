#include "php.h"
#include "php_open_temporary_file.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "dispatch/reactor.h"
#include "dispatch/wire.h"
#include "proto.h"
#include "log.h"
#include "ws/socket.h"

#define NO_TICKET UINT32_MAX
#define NO_SLOT UINT32_MAX
#define H2SRV_PIN_MIN 1024          /* bytes; a smaller body is copied rather than held in the ring */
#define H2SRV_PINS (H2SRV_OUT_RING / H2SRV_PIN_MIN) /* pins a ring can hold at most */
#define H2SRV_PIN_PATIENCE_MS 20    /* ms a body holds its worker's ring before it may move out */
/* Slots queued ahead of the workers, at most: 256, or 32 per worker lane if that is more. The
 * requests past it wait in the reactor, in order, and the few slots in use stay in the cache
 * (the free lists are stacks), where a queue thousands deep would have each request written
 * and read back from cold memory. */
#define H2SRV_AHEAD_MIN 256
#define H2SRV_AHEAD_PER_WORKER 32

static void unpin(h2srv_reactor_t *r, h2srv_ticket_t *tk);

static h2srv_reactor_t *reactor_of(h2srv_side_t *side)
{
	return (h2srv_reactor_t *)((char *)side - XtOffsetOf(h2srv_reactor_t, side));
}

static uint32_t ticket_of(const h2srv_stream_t *s)
{
	return (uint32_t)((uintptr_t)s->side_data - 1);
}

/* ---- slots ------------------------------------------------------------------------------ */

static uint32_t take_slot(h2srv_reactor_t *r, size_t need)
{
	if (r->slots_out >= r->slots_ahead) {
		return NO_SLOT;
	}
	if (need <= h2srv_region_slot_room(0) && r->nfree_small) {
		r->slots_out++;
		return r->free_small[--r->nfree_small];
	}
	if (need <= h2srv_region_slot_room(H2SRV_SLOTS) && r->nfree_big) {
		r->slots_out++;
		return r->free_big[--r->nfree_big];
	}
	return NO_SLOT;
}

static void list_free_slot(h2srv_reactor_t *r, uint32_t i)
{
	h2srv_req_slot_t *sl = h2srv_region_slot(r->g, r->id, i);

	__atomic_store_n(&sl->claim, H2SRV_CLAIM(H2SRV_SLOT_FREE, 0, 0), __ATOMIC_RELAXED);
	if (i < H2SRV_SLOTS) {
		r->free_small[r->nfree_small++] = i;
	} else {
		r->free_big[r->nfree_big++] = i;
	}
}

/* A slot taken by take_slot(), or inherited from a predecessor, comes back. */
static void give_slot(h2srv_reactor_t *r, uint32_t i)
{
	if (r->ninherited && r->inherited[i]) {
		r->inherited[i] = 0;
		r->ninherited--;
	}
	r->slots_out--;
	list_free_slot(r, i);
}

/* Moves a body kept in memory into a temporary file, for a request too big for any slot;
 * returns 0 or -1. */
static int spool_now(h2srv_reactor_t *r, h2srv_stream_t *s)
{
	int fd = php_open_temporary_fd_ex(r->t->limits->upload_dir, "h2srv-body-", &s->spool_path,
		PHP_TMP_FILE_SILENT);
	size_t off = 0;

	if (fd < 0) {
		return -1;
	}
	while (off < s->body.len) {
		ssize_t n = write(fd, s->body.data + off, s->body.len - off);
		if (n <= 0) {
			close(fd);
			return -1; /* the path stays on the stream, which removes the file */
		}
		off += (size_t)n;
	}
	close(fd);
	s->body.len = 0;
	return 0;
}

static size_t slot_need(const h2srv_ticket_t *tk)
{
	const h2srv_stream_t *s = tk->s;

	return ((size_t)s->nfields * sizeof(h2srv_field_t)) + s->hbytes.len
		+ (h2srv_stream_spooled(s) ? ZSTR_LEN(s->spool_path) : (s->flags & H2SRV_STREAM_EARLY) ? 0 : s->body.len)
		+ ZSTR_LEN(tk->remote)
		+ (tk->tls ? tk->tls->wire_len : 0);
}

/* Writes the request of ticket |i| into slot |si| and queues it. */
static void fill_slot(h2srv_reactor_t *r, uint32_t i, uint32_t si)
{
	h2srv_ticket_t *tk = &r->tickets[i];
	h2srv_stream_t *s = tk->s;
	h2srv_req_slot_t *sl = h2srv_region_slot(r->g, r->id, si);
	unsigned char *p = sl->data;

	sl->cancelled = 0;
	sl->ticket = i;
	sl->gen = tk->gen;
	sl->stream_id = s->id;
	sl->stream_flags = s->flags;
	sl->nfields = s->nfields;
	sl->f_method = s->f_method;
	sl->f_path = s->f_path;
	sl->f_authority = s->f_authority;
	sl->f_trailers = s->f_trailers;
	sl->body_size = s->body_size;
	memcpy(p, s->fields, s->nfields * sizeof(h2srv_field_t));
	p += s->nfields * sizeof(h2srv_field_t);
	sl->hbytes_len = (uint32_t)s->hbytes.len;
	memcpy(p, s->hbytes.data, s->hbytes.len);
	p += s->hbytes.len;
	if (h2srv_stream_spooled(s)) {
		/* The worker owns the file from here: it removes it with its copy of the request. */
		sl->body_len = 0;
		sl->carried = tk->carried;
		sl->spool_len = (uint32_t)ZSTR_LEN(s->spool_path);
		memcpy(p, ZSTR_VAL(s->spool_path), sl->spool_len);
		zend_string_release(s->spool_path);
		s->spool_path = NULL;
	} else {
		sl->spool_len = 0;
		sl->carried = 0;
		/* a body handed over early follows in BODY messages, as it arrives */
		sl->body_len = (s->flags & H2SRV_STREAM_EARLY) ? 0 : (uint32_t)s->body.len;
		if (sl->body_len) {
			memcpy(p, s->body.data, s->body.len);
		}
	}
	p += sl->body_len + sl->spool_len;
	sl->remote_len = (uint32_t)ZSTR_LEN(tk->remote);
	memcpy(p, ZSTR_VAL(tk->remote), sl->remote_len);
	p += sl->remote_len;
	sl->tls_len = tk->tls ? (uint32_t)tk->tls->wire_len : 0;
	if (sl->tls_len) {
		memcpy(p, tk->tls->wire, sl->tls_len);
	}
	zend_string_release(tk->remote);
	tk->remote = NULL;
	h2srv_tls_facts_release(tk->tls);
	tk->tls = NULL;
	tk->slot = si;
	/* Release: a worker that claims the slot from a stale entry sees what was written. */
	__atomic_store_n(&sl->claim, H2SRV_CLAIM(H2SRV_SLOT_QUEUED, 0, 0), __ATOMIC_RELEASE);
	h2srv_queue_push(r->g, r->id, si);
	r->queued++;
}

/* Wakes as many sleeping workers as entries were queued since the last call (a busy worker
 * takes entries anyway). Called once per loop turn, after the reads: waking a worker per
 * request would have it preempt this reactor for each one. */
static void wake_workers(h2srv_reactor_t *r)
{
	uint32_t n = r->queued;

	r->queued = 0;
	/* The queue's new entries before the sleeping flags: a worker that set its flag after
	 * this sees them, one that set it before is seen here. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t w = 0; n && w < r->g->workers; w++) {
		h2srv_wake_t *k = &r->g->worker_wake[w];
		if (__atomic_load_n(&k->sleeping, __ATOMIC_RELAXED)) {
			h2srv_wake(k);
			n--;
		}
	}
}

/* Answers a request the workers cannot have: 500 before its headers, else a reset. */
static void fail(h2srv_ticket_t *tk, const char *why)
{
	h2srv_stream_t *s = tk->s;
	int mlen, plen;
	const char *m = h2srv_field_or_unknown(s, s->f_method, &mlen);
	const char *p = h2srv_field_or_unknown(s, s->f_path, &plen);

	tk->done = true;
	if (!s->h2) {
		return;
	}
	h2srv_log(H2SRV_LOG_ERROR, "%s for %.*s %.*s; %s", why, mlen, m, plen, p,
		tk->answered ? "stream reset" : "answered 500");
	if (tk->answered) {
		h2srv_proto_reset(s);
	} else {
		h2srv_proto_respond(s, 500, NULL, 0, NULL);
	}
	h2srv_h2_wake(s->h2);
}

/* Gives waiting tickets the slots that came free, in order. */
static void place_waiting(h2srv_reactor_t *r)
{
	while (r->wait_head != NO_TICKET) {
		uint32_t i = r->wait_head;
		h2srv_ticket_t *tk = &r->tickets[i];
		uint32_t si = take_slot(r, slot_need(tk));

		if (si == NO_SLOT) {
			break;
		}
		r->wait_head = tk->next;
		if (r->wait_head == NO_TICKET) {
			r->wait_tail = NO_TICKET;
		}
		tk->waiting = false;
		fill_slot(r, i, si); /* the workers are woken at the end of the loop turn */
	}
}

/* ---- side.h ----------------------------------------------------------------------------- */

static uint32_t new_ticket(h2srv_reactor_t *r)
{
	uint32_t i = r->free_ticket;

	if (i == NO_TICKET) {
		uint32_t n = r->ntickets ? r->ntickets * 2 : 256;
		r->tickets = erealloc(r->tickets, n * sizeof(*r->tickets));
		memset(r->tickets + r->ntickets, 0, (n - r->ntickets) * sizeof(*r->tickets));
		for (uint32_t k = r->ntickets; k < n; k++) {
			r->tickets[k].next = k + 1 < n ? k + 1 : NO_TICKET;
			r->tickets[k].gen = r->epoch;
		}
		i = r->ntickets;
		r->ntickets = n;
	}
	r->free_ticket = r->tickets[i].next;
	return i;
}

static void side_request(h2srv_side_t *side, h2srv_stream_t *s, const h2srv_peer_t *peer)
{
	h2srv_reactor_t *r = reactor_of(side);
	uint32_t i = new_ticket(r);
	h2srv_ticket_t *tk = &r->tickets[i];
	size_t need;
	uint32_t si;

	tk->s = s;
	s->refs++;
	s->side_data = (void *)(uintptr_t)(i + 1);
	tk->remote = zend_string_copy(peer->remote);
	if ((tk->tls = peer->tls)) {
		size_t len;
		tk->tls->refs++;
		h2srv_tls_facts_wire(tk->tls, &len); /* once per connection */
	}
	tk->worker = -1;
	tk->slot = NO_SLOT;
	tk->next = NO_TICKET;
	tk->answered = tk->done = tk->asked = tk->waiting = tk->pinned = tk->end_sent = false;
	ZEND_ASSERT(!tk->owed_at && !tk->pending_at); /* (free_ticket() takes them off the lists) */
	tk->in_off = 0;
	tk->ws_held = 0;
	need = slot_need(tk);
	tk->carried = false;
	if (need > h2srv_region_slot_room(H2SRV_SLOTS) && !h2srv_stream_spooled(s)) {
		if (spool_now(r, s) != 0) {
			fail(tk, "cannot spool a request body too big for shared memory");
			return;
		}
		tk->carried = true;
		need = slot_need(tk);
	}
	si = r->wait_head == NO_TICKET ? take_slot(r, need) : NO_SLOT;
	if (si != NO_SLOT) {
		fill_slot(r, i, si);
		return;
	}
	/* No slot free (or others wait already): in order, as slots come back. */
	tk->waiting = true;
	if (r->wait_tail == NO_TICKET) {
		r->wait_head = i;
	} else {
		r->tickets[r->wait_tail].next = i;
	}
	r->wait_tail = i;
}

/* Sends a notice to worker |w| about the request it holds as ticket |i| of generation |gen|;
 * returns false when its inbox is full (64 KiB of notices unread: the worker is stuck in a
 * handler). */
static bool notify_gen(h2srv_reactor_t *r, uint32_t w, uint32_t i, uint32_t gen, uint16_t type)
{
	h2srv_ring_t *ring = h2srv_region_inbox(r->g, w, r->id);
	h2srv_msg_t *m = h2srv_ring_reserve(ring, &r->inbox_pos[w], sizeof(*m));

	if (!m) {
		return false;
	}
	*m = (h2srv_msg_t){sizeof(*m), type, 0, i, gen};
	h2srv_ring_commit(ring, &r->inbox_pos[w], m);
	h2srv_wake(&r->g->worker_wake[w]);
	return true;
}

static bool notify(h2srv_reactor_t *r, uint32_t w, uint32_t i, uint16_t type)
{
	return notify_gen(r, w, i, r->tickets[i].gen, type);
}

/* Tells worker |w| that the stream of the request it holds as |i|, |gen| is gone: its producer
 * stops, its callbacks hear of it, and it lets go of the request. When its inbox is full, told
 * again each loop turn (pay_closed). */
static void tell_closed(h2srv_reactor_t *r, uint32_t w, uint32_t i, uint32_t gen)
{
	if (notify_gen(r, w, i, gen, H2SRV_MSG_CLOSED)) {
		return;
	}
	if (r->nclosed_owed == r->cap_closed_owed) {
		r->cap_closed_owed = r->cap_closed_owed ? 2 * r->cap_closed_owed : 64;
		r->closed_owed = erealloc(r->closed_owed, r->cap_closed_owed * sizeof(*r->closed_owed));
	}
	r->closed_owed[r->nclosed_owed].worker = w;
	r->closed_owed[r->nclosed_owed].ticket = i;
	r->closed_owed[r->nclosed_owed].gen = gen;
	r->nclosed_owed++;
	__atomic_store_n(&r->wake->wants_space, 1, __ATOMIC_SEQ_CST);
}

/* Puts ticket |i| on list |l| or takes it off; each ticket keeps its place in |l| in its field
 * at offset |field|. */
static void list_set(h2srv_reactor_t *r, h2srv_ticket_list_t *l, size_t field, uint32_t i, bool on)
{
	uint32_t *place = (uint32_t *)((char *)&r->tickets[i] + field);

	if (on == (*place != 0)) {
		return;
	}
	if (on) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 64;
			l->at = erealloc(l->at, l->cap * sizeof(*l->at));
		}
		l->at[l->n++] = i;
		*place = l->n;
	} else {
		uint32_t k = *place - 1, last = l->at[--l->n];
		l->at[k] = last;
		*(uint32_t *)((char *)&r->tickets[last] + field) = k + 1;
		*place = 0;
	}
}

static void set_owed(h2srv_reactor_t *r, uint32_t i, bool on)
{
	list_set(r, &r->owed, XtOffsetOf(h2srv_ticket_t, owed_at), i, on);
}

static void set_pending(h2srv_reactor_t *r, uint32_t i, bool on)
{
	list_set(r, &r->pending, XtOffsetOf(h2srv_ticket_t, pending_at), i, on);
}

/* Asks the worker bound to ticket |i| for more of its body; a notice that does not fit now is
 * owed and sent again each loop turn (the stream asks once: a lost one would stall it). */
static void ask_more(h2srv_reactor_t *r, uint32_t i)
{
	h2srv_ticket_t *tk = &r->tickets[i];

	if (notify(r, (uint32_t)tk->worker, i, H2SRV_MSG_MORE)) {
		tk->asked = true;
		set_owed(r, i, false);
	} else {
		set_owed(r, i, true);
	}
}

/* CLOSED notices that did not fit, in order, as room comes. */
static void pay_closed(h2srv_reactor_t *r)
{
	uint32_t k = 0;

	while (k < r->nclosed_owed) {
		if (!notify_gen(r, r->closed_owed[k].worker, r->closed_owed[k].ticket, r->closed_owed[k].gen,
				H2SRV_MSG_CLOSED)) {
			__atomic_store_n(&r->wake->wants_space, 1, __ATOMIC_SEQ_CST);
			break;
		}
		k++;
	}
	memmove(r->closed_owed, r->closed_owed + k, (r->nclosed_owed - k) * sizeof(*r->closed_owed));
	r->nclosed_owed -= k;
}

static void pay_owed(h2srv_reactor_t *r)
{
	/* Backwards: a ticket taken off swaps in the last one, already seen. */
	for (uint32_t k = r->owed.n; k-- > 0;) {
		uint32_t i = r->owed.at[k];
		if (!r->tickets[i].s || r->tickets[i].done) {
			set_owed(r, i, false);
		} else {
			ask_more(r, i);
		}
	}
}

/* ---- input for a request handed over early: its body, a WebSocket's messages ------------- */

/* Room in worker |w|'s inbox for a message with |payload| bytes, or NULL while it is full. */
static h2srv_msg_t *inbox_begin(h2srv_reactor_t *r, uint32_t w, uint32_t i, uint16_t type, uint16_t flags, size_t payload)
{
	h2srv_ring_t *ring = h2srv_region_inbox(r->g, w, r->id);
	h2srv_msg_t *m = h2srv_ring_reserve(ring, &r->inbox_pos[w], (uint32_t)(sizeof(*m) + payload));

	if (m) {
		m->len = (uint32_t)(sizeof(*m) + payload);
		m->type = type;
		m->flags = flags;
		m->ticket = i;
		m->gen = r->tickets[i].gen;
	}
	return m;
}

static void inbox_commit(h2srv_reactor_t *r, uint32_t w, h2srv_msg_t *m)
{
	h2srv_ring_commit(h2srv_region_inbox(r->g, w, r->id), &r->inbox_pos[w], m);
	if (!r->unwoken_set[w]) {
		r->unwoken_set[w] = 1;
		r->unwoken[r->nunwoken++] = w;
	}
}

/* Wakes, if they sleep, the workers given input this loop turn: once each. */
static void wake_given(h2srv_reactor_t *r)
{
	for (uint32_t k = 0; k < r->nunwoken; k++) {
		r->unwoken_set[r->unwoken[k]] = 0;
		h2srv_wake(&r->g->worker_wake[r->unwoken[k]]);
	}
	r->nunwoken = 0;
}

/* Bytes of one inbox message's payload past its header (a quarter of the ring, less headers). */
static size_t part_room(h2srv_reactor_t *r, uint32_t w, size_t header)
{
	return h2srv_ring_max(h2srv_region_inbox(r->g, w, r->id)) - sizeof(h2srv_msg_t) - header;
}

/* An early body's end, with the request's trailers laid out as TRAILERS lays them out. */
static bool send_body_end(h2srv_reactor_t *r, uint32_t w, uint32_t i)
{
	h2srv_stream_t *s = r->tickets[i].s;
	uint32_t from = s->f_trailers == H2SRV_FIELD_NONE ? s->nfields : s->f_trailers, count = s->nfields - from;
	size_t payload = sizeof(count);
	unsigned char *p;
	h2srv_msg_t *m;

	for (uint32_t k = from; k < s->nfields; k++) {
		payload += sizeof(h2srv_wire_field_t) + s->fields[k].name_len + s->fields[k].value_len;
	}
	if (payload > part_room(r, w, 0)) {
		count = 0; /* trailers that do not fit in a notice are dropped, the end is not */
		payload = sizeof(count);
	}
	if (!(m = inbox_begin(r, w, i, H2SRV_MSG_BODY, H2SRV_MF_LAST, payload))) {
		return false;
	}
	p = (unsigned char *)(m + 1);
	memcpy(p, &count, sizeof(count));
	p += sizeof(count);
	for (uint32_t k = from; count && k < s->nfields; k++) {
		p = h2srv_wire_put_field(p, h2srv_field_name(s, k), s->fields[k].name_len, h2srv_field_value(s, k),
			s->fields[k].value_len);
	}
	inbox_commit(r, w, m);
	return true;
}

/* Sends ticket |i|'s waiting input to its worker; returns false when the worker's inbox is full
 * (the rest waits: an early body uncredited, WebSocket messages in the socket's inbox). */
static bool send_input(h2srv_reactor_t *r, uint32_t i)
{
	h2srv_ticket_t *tk = &r->tickets[i];
	h2srv_stream_t *s = tk->s;
	uint32_t w = (uint32_t)tk->worker;
	h2srv_ws_in_t in;
	const char *p;

	if (s->ws) {
		/* A worker's copy of the socket holds what its PHP has not taken yet (no onMessage, or
		 * a slow one) up to the inbox's high-water mark, as the socket itself would: the rest
		 * stays here, and the socket stops reading the peer. CONSUMED sends more. */
		while (tk->ws_held < H2SRV_WS_INBOX_HIGH && (p = h2srv_ws_peek(s, &in))) {
			size_t room = part_room(r, w, sizeof(h2srv_wire_part_t));
			do {
				size_t k = MIN(room, in.len - tk->in_off);
				uint16_t flags = (tk->in_off == 0 ? H2SRV_MF_FIRST : 0) | (tk->in_off + k == in.len ? H2SRV_MF_LAST : 0);
				h2srv_wire_part_t part = {in.kind, in.len, (uint32_t)k, 0};
				h2srv_msg_t *m = inbox_begin(r, w, i, H2SRV_MSG_WS_IN, flags, sizeof(part) + k);
				if (!m) {
					return false;
				}
				memcpy(m + 1, &part, sizeof(part));
				memcpy((char *)(m + 1) + sizeof(part), p + tk->in_off, k);
				inbox_commit(r, w, m);
				tk->in_off += (uint32_t)k;
			} while (tk->in_off < in.len);
			tk->in_off = 0;
			tk->ws_held += sizeof(in) + in.len;
			h2srv_ws_taken(s); /* (reading may go on now: the window is credited as they are taken) */
		}
		return true;
	}
	while (s->body.len) {
		size_t k = MIN(s->body.len, part_room(r, w, sizeof(h2srv_wire_data_t)));
		h2srv_wire_data_t d = {(uint32_t)k, 0};
		h2srv_msg_t *m = inbox_begin(r, w, i, H2SRV_MSG_BODY, 0, sizeof(d) + k);
		if (!m) {
			return false;
		}
		memcpy(m + 1, &d, sizeof(d));
		memcpy((char *)(m + 1) + sizeof(d), s->body.data, k);
		inbox_commit(r, w, m);
		h2srv_buf_consume(&s->body, k); /* credited once the worker's PHP took it (CONSUMED) */
	}
	if ((s->flags & H2SRV_STREAM_REQ_DONE) && !tk->end_sent) {
		if (!send_body_end(r, w, i)) {
			return false;
		}
		tk->end_sent = true;
	}
	return true;
}

static void forward(h2srv_reactor_t *r, uint32_t i)
{
	h2srv_ticket_t *tk = &r->tickets[i];

	if (tk->done && !tk->s->ws) {
		/* answered already: the rest of the body goes nowhere, and the peer may send it */
		h2srv_proto_consumed(tk->s, tk->s->body.len);
		tk->s->body.len = 0;
		set_pending(r, i, false);
		return;
	}
	if ((tk->s->flags & H2SRV_STREAM_WS) && !tk->s->ws) {
		set_pending(r, i, false); /* frames before the accept wait in the body (WS_OPEN reads them) */
		return;
	}
	if (tk->worker < 0) {
		set_pending(r, i, true); /* until a worker takes the request */
		return;
	}
	if (!send_input(r, i)) {
		/* The worker's inbox is full: it wakes us as it reads (checked again after saying so,
		 * in case it read in between). */
		__atomic_store_n(&r->wake->wants_space, 1, __ATOMIC_SEQ_CST);
		set_pending(r, i, !send_input(r, i));
		return;
	}
	set_pending(r, i, false);
}

static void side_input(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_reactor_t *r = reactor_of(side);

	if (s->side_data) {
		forward(r, ticket_of(s));
	}
}

static void pay_pending(h2srv_reactor_t *r)
{
	/* Backwards: a ticket taken off swaps in the last one, already seen. */
	for (uint32_t k = r->pending.n; k-- > 0;) {
		uint32_t i = r->pending.at[k];
		if (r->tickets[i].s) {
			forward(r, i);
		} else {
			set_pending(r, i, false);
		}
	}
}

static void side_produce(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_reactor_t *r = reactor_of(side);
	h2srv_ticket_t *tk;

	if (!s->side_data) {
		return;
	}
	tk = &r->tickets[ticket_of(s)];
	if (tk->worker >= 0 && !tk->done && !tk->asked && !tk->owed_at) {
		ask_more(r, ticket_of(s));
	}
}

static void free_ticket(h2srv_reactor_t *r, uint32_t i)
{
	h2srv_ticket_t *tk = &r->tickets[i];
	h2srv_stream_t *s = tk->s;

	s->side_data = NULL;
	h2srv_stream_unref(s);
	if (tk->remote) {
		zend_string_release(tk->remote);
		tk->remote = NULL;
	}
	h2srv_tls_facts_release(tk->tls);
	tk->tls = NULL;
	tk->s = NULL;
	tk->gen++;
	tk->next = r->free_ticket;
	r->free_ticket = i;
}

static void side_closed(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_reactor_t *r = reactor_of(side);
	uint32_t i = ticket_of(s);
	h2srv_ticket_t *tk = &r->tickets[i];

	if (tk->waiting) {
		/* Unlink it from the waiting list. */
		uint32_t *pp = &r->wait_head, prev = NO_TICKET;
		while (*pp != i) {
			prev = *pp;
			pp = &r->tickets[*pp].next;
		}
		*pp = tk->next;
		if (r->wait_tail == i) {
			r->wait_tail = prev;
		}
	} else if (tk->slot != NO_SLOT) {
		/* Still queued: the worker that takes it skips it and gives the slot back. */
		__atomic_store_n(&h2srv_region_slot(r->g, r->id, tk->slot)->cancelled, 1, __ATOMIC_RELAXED);
	} else if (tk->worker >= 0 && !tk->done) {
		tell_closed(r, (uint32_t)tk->worker, i, tk->gen);
	}
	set_owed(r, i, false);
	set_pending(r, i, false);
	h2srv_buf_free(&tk->ws_out);
	if (tk->pinned) {
		unpin(r, tk); /* the stream no longer references its body */
	}
	free_ticket(r, i);
}

/* ---- what workers send ------------------------------------------------------------------- */

/* Headers of a HEAD message as nghttp2 name/value pairs (nghttp2 copies them on submit). */
static size_t read_headers(const unsigned char **p, uint32_t n, nghttp2_nv *nv)
{
	for (uint32_t k = 0; k < n; k++) {
		h2srv_wire_field_t f;
		const unsigned char *name;
		*p = h2srv_wire_get_field(*p, &f, &name);
		nv[k] = (nghttp2_nv){(uint8_t *)name, (uint8_t *)name + f.nlen, f.nlen, f.vlen, NGHTTP2_NV_FLAG_NONE};
	}
	return n;
}

/* The file a worker sent under |token|: it was sent before the message that names it, so it is
 * on the socket now, or among those taken while looking for another. Returns -1 if not. */
static int passed_file(h2srv_reactor_t *r, uint64_t token)
{
	uint64_t got;
	int fd;

	for (uint32_t i = 0; i < r->nfiles; i++) {
		if (r->files[i].token == token) {
			fd = r->files[i].fd;
			r->files[i] = r->files[--r->nfiles];
			return fd;
		}
	}
	while ((fd = h2srv_files_recv(r->wake->files[0], &got)) >= 0) {
		if (got == token) {
			return fd;
		}
		if (r->nfiles == r->cap_files) {
			r->cap_files = r->cap_files ? 2 * r->cap_files : 8;
			r->files = erealloc(r->files, r->cap_files * sizeof(*r->files));
		}
		r->files[r->nfiles].token = got;
		r->files[r->nfiles++].fd = fd;
	}
	return -1;
}

/* Files a worker that died sent without the message that would have used them: those of a
 * lane's life that has ended (tokens carry lane and life, see worker.c). */
static void drop_dead_files(h2srv_reactor_t *r)
{
	for (uint32_t i = 0; i < r->nfiles;) {
		uint64_t t = r->files[i].token;
		uint32_t lane = (uint32_t)(t >> 48);
		if (lane >= r->g->workers || (r->g->worker_wake[lane].life & 0xffff) != ((t >> 32) & 0xffff)) {
			close(r->files[i].fd);
			r->files[i] = r->files[--r->nfiles];
			continue;
		}
		i++;
	}
}

/* Opens the file a worker's sendFile() named, if it is still the file the worker checked. */
static int open_checked(const h2srv_wire_head_t *h, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, &st) != 0 || (uint64_t)st.st_dev != h->dev || (uint64_t)st.st_ino != h->ino
		|| (h->offset && lseek(fd, (off_t)h->offset, SEEK_SET) != (off_t)h->offset))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- bodies sent from the rings ---------------------------------------------------------- */

/* Gives back the ring space before the oldest body still held (all of it read, if none). */
static void publish(h2srv_reactor_t *r, uint32_t lane)
{
	h2srv_reader_t *rd = &r->readers[lane];

	while (rd->first < rd->next && rd->pins[rd->first % H2SRV_PINS].released) {
		rd->first++;
	}
	h2srv_ring_release(h2srv_region_out(r->g, lane, r->id),
		rd->first < rd->next ? rd->pins[rd->first % H2SRV_PINS].start : rd->rpos);
}

static void pin(h2srv_reactor_t *r, uint32_t lane, h2srv_ticket_t *tk, uint64_t start, const h2srv_msg_t *m,
	zend_string *body)
{
	h2srv_reader_t *rd = &r->readers[lane];
	h2srv_pin_t *p;

	if (!rd->pins) {
		rd->pins = emalloc(H2SRV_PINS * sizeof(*rd->pins));
	}
	p = &rd->pins[rd->next % H2SRV_PINS];
	p->start = start;
	p->end = start + m->len;
	p->body = body;
	p->ticket = (uint32_t)(tk - r->tickets);
	p->at = uv_now(&r->t->loop);
	p->released = false;
	tk->pinned = true;
	tk->pin_lane = lane;
	tk->pin_seq = rd->next++;
}

static void unpin(h2srv_reactor_t *r, h2srv_ticket_t *tk)
{
	tk->pinned = false;
	r->readers[tk->pin_lane].pins[tk->pin_seq % H2SRV_PINS].released = true;
	publish(r, tk->pin_lane);
}

/* A stream whose peer reads slowly would keep the ring behind its body from its worker: once
 * that worker waits for room, past half the ring held, the oldest bodies move into strings of
 * their own (between emit passes, when nothing references them). Only bodies held for
 * H2SRV_PIN_PATIENCE_MS: under load every peer reads slower than a worker writes, the ring
 * fills in a millisecond or two and empties as fast, and a body moved is one more copy (14 of
 * 100 at 16 KiB, h2load -c100 -m32). Returns 0, or the ms until the oldest body held may move. */
static uint64_t unblock(h2srv_reactor_t *r, uint32_t lane)
{
	h2srv_ring_t *ring = h2srv_region_out(r->g, lane, r->id);
	h2srv_reader_t *rd = &r->readers[lane];
	uint64_t now = uv_now(&r->t->loop);

	while (rd->first < rd->next && h2srv_ring_used(ring) > ring->size / 2) {
		h2srv_pin_t *p = &rd->pins[rd->first % H2SRV_PINS];
		if (!p->released) {
			h2srv_ticket_t *tk = &r->tickets[p->ticket];
			if (now - p->at < H2SRV_PIN_PATIENCE_MS) {
				return p->at + H2SRV_PIN_PATIENCE_MS - now;
			}
			if (tk->s && tk->s->out_body == p->body) {
				tk->s->out_body = zend_string_init(ZSTR_VAL(p->body), ZSTR_LEN(p->body), 0);
			}
			tk->pinned = false;
			p->released = true;
		}
		publish(r, lane);
	}
	return 0;
}

static void apply_head(h2srv_reactor_t *r, h2srv_ticket_t *tk, const h2srv_msg_t *m, uint32_t lane, uint64_t start)
{
	h2srv_stream_t *s = tk->s;
	h2srv_wire_head_t h;
	const unsigned char *p = (const unsigned char *)(m + 1);
	nghttp2_nv stack[32], *nv = stack;
	int rv;

	memcpy(&h, p, sizeof(h));
	p += sizeof(h);
	if (h.nfields > sizeof(stack) / sizeof(stack[0])) {
		nv = emalloc(h.nfields * sizeof(*nv));
	}
	read_headers(&p, h.nfields, nv);
	tk->answered = true;
	if (m->flags & H2SRV_MF_FILE) {
		char path[4096];
		size_t len = MIN(h.body_len, sizeof(path) - 1);
		int fd;
		memcpy(path, p, len);
		path[len] = '\0';
		fd = (m->flags & H2SRV_MF_PASSED) ? passed_file(r, h.ino) : open_checked(&h, path);
		tk->done = true;
		if (fd < 0) {
			tk->answered = false;
			fail(tk, (m->flags & H2SRV_MF_PASSED) ? "the file of a sendFile() did not reach the reactor"
				: "the file of a sendFile() changed before it could be sent");
			rv = 0;
		} else {
			rv = h2srv_proto_respond_fed(s, h.status, nv, h.nfields, fd, h.size);
		}
	} else if (m->flags & H2SRV_MF_FED) {
		rv = h2srv_proto_respond_fed(s, h.status, nv, h.nfields, -1, h.size);
	} else if (h.body_len >= H2SRV_PIN_MIN && (m->flags & H2SRV_MF_INPLACE)) {
		/* The body the worker copied into the ring is sent from there: an interned-flagged
		 * string that no release frees; its space comes back when the stream closes. */
		zend_string *body = (zend_string *)((char *)m + h2srv_wire_body_at((size_t)(p - (const unsigned char *)m)));
		GC_SET_REFCOUNT(body, 1);
		GC_TYPE_INFO(body) = GC_STRING | (IS_STR_INTERNED << GC_FLAGS_SHIFT);
		ZSTR_H(body) = 0;
		ZSTR_LEN(body) = h.body_len;
		tk->done = true;
		rv = h2srv_proto_respond(s, h.status, nv, h.nfields, body);
		if (rv == 0 && s->h2) {
			pin(r, lane, tk, start, m, body);
		}
	} else {
		const char *b = (m->flags & H2SRV_MF_INPLACE)
			? (const char *)m + h2srv_wire_body_at((size_t)(p - (const unsigned char *)m)) + _ZSTR_HEADER_SIZE
			: (const char *)p;
		tk->done = true;
		rv = h2srv_proto_respond(s, h.status, nv, h.nfields, h.body_len ? zend_string_init(b, h.body_len, 0) : NULL);
	}
	(void)rv;
	if (nv != stack) {
		efree(nv);
	}
}

static void apply_trailers(h2srv_ticket_t *tk, const h2srv_msg_t *m)
{
	const unsigned char *p = (const unsigned char *)(m + 1);
	uint32_t n;
	zend_string **pairs;

	memcpy(&n, p, sizeof(n));
	p += sizeof(n);
	pairs = emalloc(2 * n * sizeof(*pairs));
	for (uint32_t k = 0; k < n; k++) {
		h2srv_wire_field_t f;
		const unsigned char *name;
		p = h2srv_wire_get_field(p, &f, &name);
		pairs[2 * k] = zend_string_init((const char *)name, f.nlen, 0);
		pairs[2 * k + 1] = zend_string_init((const char *)name + f.nlen, f.vlen, 0);
	}
	h2srv_h2_set_trailers(tk->s, pairs, 2 * n);
}

/* The worker accepted a WebSocket: from now on this process reads and writes its frames. */
static void apply_ws_open(h2srv_reactor_t *r, h2srv_ticket_t *tk, const h2srv_msg_t *m)
{
	h2srv_stream_t *s = tk->s;
	h2srv_wire_ws_open_t o;
	h2srv_ws_deflate_t d = {0};

	memcpy(&o, m + 1, sizeof(o));
	d.client_bits = o.client_bits;
	d.server_bits = o.server_bits;
	d.client_no_takeover = o.client_no_takeover;
	h2srv_ws_open(s, r->t->limits->ws_max_message, &r->t->stats->h2.ws, uv_now(&r->t->loop), o.deflating ? &d : NULL);
	if (s->flags & H2SRV_STREAM_SENDING) {
		/* Quiet for hours is normal: the write timeout watches only responses in flight. */
		s->flags &= ~H2SRV_STREAM_SENDING;
		s->h2->nsending--;
	}
	if (s->body.len || (s->flags & H2SRV_STREAM_REQ_DONE)) {
		h2srv_h2_stream_inbound(s->h2, s); /* frames that came ahead (read at the next emit) */
	}
}

/* Applies one message from worker |w|, which lies at |start| in its ring. */
static void apply(h2srv_reactor_t *r, uint32_t w, const h2srv_msg_t *m, uint64_t start)
{
	h2srv_ticket_t *tk = m->ticket < r->ntickets ? &r->tickets[m->ticket] : NULL;
	bool live = tk && tk->s && tk->gen == m->gen;

	if (m->type == H2SRV_MSG_TAKEN) {
		h2srv_wire_taken_t tn;
		memcpy(&tn, m + 1, sizeof(tn));
		if (tn.slot < H2SRV_SLOTS + H2SRV_BIG_SLOTS) {
			const h2srv_req_slot_t *sl = h2srv_region_slot(r->g, r->id, tn.slot);
			/* Only the take this message reports: a reactor started after its predecessor
			 * died reads again what that one had applied but still held ring space behind,
			 * and a slot given back then may have been queued and taken again since. */
			if (__atomic_load_n(&sl->claim, __ATOMIC_ACQUIRE) == H2SRV_CLAIM(H2SRV_SLOT_TAKEN, w, tn.life)
				&& sl->ticket == m->ticket && sl->gen == m->gen) {
				give_slot(r, tn.slot);
			}
		}
		if (live && tk->slot == tn.slot) {
			tk->slot = NO_SLOT;
			tk->worker = (int32_t)w;
			tk->life = tn.life;
			if (tk->pending_at) {
				forward(r, m->ticket);
			}
		} else if (!live) {
			/* The stream went while the worker was taking its request (the slot was marked
			 * cancelled after the worker had looked): the worker holds it now and would wait
			 * forever for credit, input or a close. (A worker that skipped the cancelled slot
			 * holds nothing under this ticket and ignores the notice.) */
			tell_closed(r, w, m->ticket, m->gen);
		}
		return;
	}
	if (!live || tk->done || !tk->s->h2) {
		/* The stream went, or the worker died and the request was answered; a file sent for
		 * it is closed. */
		if (m->type == H2SRV_MSG_HEAD && (m->flags & H2SRV_MF_PASSED)) {
			h2srv_wire_head_t h;
			int fd;
			memcpy(&h, m + 1, sizeof(h));
			if ((fd = passed_file(r, h.ino)) >= 0) {
				close(fd);
			}
		}
		return;
	}
	switch (m->type) {
	case H2SRV_MSG_HEAD:
		apply_head(r, tk, m, w, start);
		break;
	case H2SRV_MSG_TRAILERS:
		apply_trailers(tk, m);
		return;
	case H2SRV_MSG_DATA: {
		h2srv_wire_data_t d;
		memcpy(&d, m + 1, sizeof(d));
		tk->asked = false;
		h2srv_proto_write(tk->s, (const char *)(m + 1) + sizeof(d), d.len, m->flags & H2SRV_MF_LAST);
		if (m->flags & H2SRV_MF_LAST) {
			tk->done = true;
		}
		break;
	}
	case H2SRV_MSG_RESET:
		tk->done = true;
		h2srv_proto_reset(tk->s);
		break;
	case H2SRV_MSG_CONSUMED: {
		h2srv_wire_count_t c;
		memcpy(&c, m + 1, sizeof(c));
		if (tk->s->ws) {
			/* inbox bytes PHP took: the socket's input may go on to the worker */
			tk->ws_held -= MIN(tk->ws_held, c.n);
			forward(r, m->ticket);
		} else {
			h2srv_proto_consumed(tk->s, (size_t)c.n);
		}
		break;
	}
	case H2SRV_MSG_WS_OPEN:
		apply_ws_open(r, tk, m);
		break;
	case H2SRV_MSG_WS_SEND: {
		h2srv_wire_part_t part;
		size_t n;
		memcpy(&part, m + 1, sizeof(part));
		tk->asked = false; /* (the MORE this answers: the next low water asks again) */
		n = MIN(part.len, m->len - sizeof(*m) - sizeof(part));
		if (!tk->s->ws) {
			break;
		}
		if ((m->flags & (H2SRV_MF_FIRST | H2SRV_MF_LAST)) == (H2SRV_MF_FIRST | H2SRV_MF_LAST)) {
			h2srv_ws_send(tk->s, part.kind != 0, (const char *)(m + 1) + sizeof(part), n);
			break;
		}
		if (m->flags & H2SRV_MF_FIRST) {
			tk->ws_out.len = 0;
		}
		if (n) {
			h2srv_buf_append(&tk->ws_out, (const char *)(m + 1) + sizeof(part), n);
		}
		if (m->flags & H2SRV_MF_LAST) {
			h2srv_ws_send(tk->s, part.kind != 0, tk->ws_out.data, tk->ws_out.len);
			h2srv_buf_free(&tk->ws_out);
		}
		break;
	}
	case H2SRV_MSG_WS_CLOSE: {
		h2srv_wire_part_t part;
		memcpy(&part, m + 1, sizeof(part));
		if (tk->s->ws) {
			h2srv_ws_close(tk->s, (uint16_t)part.kind, (const char *)(m + 1) + sizeof(part),
				MIN(part.len, m->len - sizeof(*m) - sizeof(part)));
		}
		break;
	}
	default:
		return;
	}
	if (tk->s->h2) {
		h2srv_h2_wake(tk->s->h2);
	}
}

/* A worker died: its requests are answered here, the stream and connection stay. */
static void bury(h2srv_reactor_t *r)
{
	if (r->nfiles) {
		drop_dead_files(r);
	}
	for (uint32_t i = 0; i < r->ntickets; i++) {
		h2srv_ticket_t *tk = &r->tickets[i];

		if (!tk->s || tk->done) {
			continue;
		}
		if (tk->worker >= 0) {
			if (r->g->worker_wake[tk->worker].life != tk->life) {
				fail(tk, "the worker running the handler died");
			}
			continue;
		}
		if (tk->slot != NO_SLOT && h2srv_slot_taker_died(r->g, h2srv_region_slot(r->g, r->id, tk->slot))) {
			give_slot(r, tk->slot);
			tk->slot = NO_SLOT;
			fail(tk, "the worker taking the request died");
		}
	}
	/* A predecessor's request: its connection went with it, there is nobody to answer. */
	for (uint32_t i = 0; r->ninherited && i < H2SRV_SLOTS + H2SRV_BIG_SLOTS; i++) {
		if (r->inherited[i] && h2srv_slot_taker_died(r->g, h2srv_region_slot(r->g, r->id, i))) {
			give_slot(r, i);
		}
	}
}

/* Applies everything the workers sent; returns whether anything was there. */
static bool drain(h2srv_reactor_t *r)
{
	uint64_t deaths = __atomic_load_n(r->g->deaths, __ATOMIC_ACQUIRE);
	bool any = false;

	for (uint32_t w = 0; w < r->g->workers; w++) {
		h2srv_ring_t *ring = h2srv_region_out(r->g, w, r->id);
		h2srv_reader_t *rd = &r->readers[w];
		h2srv_msg_t *m;
		bool took = false;

		while ((m = h2srv_ring_peek_at(ring, &rd->rpos))) {
			uint64_t start = rd->rpos;
			rd->rpos += m->len;
			apply(r, w, m, start);
			took = true;
		}
		if (took) {
			any = true;
			publish(r, w);
		}
	}
	if (deaths != r->deaths_seen) {
		r->deaths_seen = deaths;
		bury(r);
	}
	if (r->wait_head != NO_TICKET) {
		place_waiting(r);
	}
	if (r->owed.n) {
		pay_owed(r);
	}
	if (r->pending.n) {
		pay_pending(r);
	}
	if (r->nclosed_owed) {
		pay_closed(r);
	}
	return any;
}

static bool rings_empty(h2srv_reactor_t *r)
{
	for (uint32_t w = 0; w < r->g->workers; w++) {
		/* What is unread, not what is unreleased: held bodies are read. */
		if (__atomic_load_n(&h2srv_region_out(r->g, w, r->id)->tail, __ATOMIC_ACQUIRE) != r->readers[w].rpos) {
			return false;
		}
	}
	return __atomic_load_n(r->g->deaths, __ATOMIC_RELAXED) == r->deaths_seen;
}

/* ---- the loop ---------------------------------------------------------------------------- */

static void on_patience(uv_timer_t *h);

/* Wakes the workers that wait for room in their rings to this reactor, once half of it is free.
 * Once a turn, as it ends: by then its emit passes have sent the bodies that held the room (a
 * worker woken as soon as a few bytes came back would, on one core, preempt its reactor
 * mid-turn, write a response or two and wait again), and only with a worker waiting are bodies
 * of slow peers moved out of its way. */
static void pay_space(h2srv_reactor_t *r)
{
	uint64_t soonest = 0;

	for (uint32_t w = 0; w < r->g->workers; w++) {
		h2srv_ring_t *ring = h2srv_region_out(r->g, w, r->id);
		if (__atomic_load_n(&ring->producer_waits, __ATOMIC_RELAXED)) {
			uint64_t wait = r->readers[w].first < r->readers[w].next ? unblock(r, w) : 0;
			if (wait) {
				soonest = soonest ? MIN(soonest, wait) : wait;
				continue;
			}
			__atomic_store_n(&ring->producer_waits, 0, __ATOMIC_RELAXED);
			h2srv_wake(&r->g->worker_wake[w]);
		}
	}
	if (soonest && !uv_is_active((uv_handle_t *)&r->patience)) {
		uv_timer_start(&r->patience, on_patience, soonest, 0);
	}
}

/* The bodies a waiting worker's room was held by may move now, unless they went meanwhile. */
static void on_patience(uv_timer_t *h)
{
	pay_space(h->data);
}

static void on_check(uv_check_t *h)
{
	h2srv_reactor_t *r = h->data;

	if (r->slept) {
		r->slept = false;
		h2srv_wake_up(r->wake); /* a busy turn set no flag and reads no eventfd */
	}
	drain(r);
	if (r->queued) {
		wake_workers(r);
	}
	if (r->nunwoken) {
		wake_given(r);
	}
}

static void on_idle(uv_idle_t *h)
{
	uv_idle_stop(h); /* it only kept the poll from blocking; the check drains */
}

static void on_prepare(uv_prepare_t *h)
{
	h2srv_reactor_t *r = h->data;

	if (r->queued) {
		wake_workers(r); /* requests queued outside the reads (timers, the sweep) */
	}
	if (r->nunwoken) {
		wake_given(r); /* input given outside the reads (an emit pass, the sweep) */
	}
	if (uv_backend_timeout(&r->t->loop) == 0) {
		pay_space(r);
		return; /* the loop comes straight back: no need to be woken */
	}
	h2srv_wake_sleep(r->wake);
	r->slept = true;
	/* After the sleeping flag: a worker that finds its ring full from now on wakes us. */
	pay_space(r);
	/* Input or notices still waiting for room in a worker's inbox: said to be waited for, then
	 * tried once more, both after the sleeping flag, so that a worker reading its inbox from
	 * now on wakes us (one that read before is seen by the retry). */
	if (r->pending.n || r->nclosed_owed) {
		__atomic_store_n(&r->wake->wants_space, 1, __ATOMIC_SEQ_CST);
		if (r->pending.n) {
			pay_pending(r);
		}
		if (r->nclosed_owed) {
			pay_closed(r);
		}
		if (r->nunwoken) {
			wake_given(r);
		}
	}
	if (!rings_empty(r)) {
		r->slept = false;
		h2srv_wake_up(r->wake);
		uv_idle_start(&r->idle, on_idle);
	}
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	h2srv_reactor_t *r = h->data;

	(void)status; (void)events;
	r->slept = false;
	h2srv_wake_up(r->wake);
}

int h2srv_reactor_start(h2srv_reactor_t *r, h2srv_transport_t *t, h2srv_region_t *g, uint32_t id)
{
	memset(r, 0, sizeof(*r));
	r->side = (h2srv_side_t){side_request, side_input, side_produce, side_closed};
	r->t = t;
	r->g = g;
	r->id = id;
	r->wake = &g->reactor_wake[id];
	r->wake->pid = (int32_t)getpid();
	/* Workers may still answer requests of a predecessor that died: its tickets' numbers come
	 * back in their messages, so this reactor's tickets start in another range of generations. */
	r->epoch = __atomic_add_fetch(&r->wake->life, 1, __ATOMIC_RELAXED) << 24;
	r->free_ticket = NO_TICKET;
	r->wait_head = r->wait_tail = NO_TICKET;
	r->free_small = emalloc(H2SRV_SLOTS * sizeof(uint32_t));
	r->free_big = emalloc(H2SRV_BIG_SLOTS * sizeof(uint32_t));
	r->inherited = ecalloc(H2SRV_SLOTS + H2SRV_BIG_SLOTS, 1);
	/* Highest first, so the low slots (and their pages) are the ones reused. */
	for (uint32_t i = H2SRV_SLOTS + H2SRV_BIG_SLOTS; i-- > 0;) {
		h2srv_req_slot_t *sl = h2srv_region_slot(g, id, i);
		/* A slot a dead predecessor left queued or taken is not reused yet: a worker may still
		 * take it from the queue, or be copying it out. Either way the worker's TAKEN message
		 * comes here (the rings are per reactor number, not per life) and gives it back, and
		 * if that worker dies first, bury() does. One already taken by a dead worker is free. */
		if (h2srv_slot_state(sl) == H2SRV_SLOT_FREE || h2srv_slot_taker_died(g, sl)) {
			list_free_slot(r, i);
		} else {
			r->slots_out++;
			r->inherited[i] = 1;
			r->ninherited++;
		}
	}
	r->slots_ahead = MIN(H2SRV_SLOTS + H2SRV_BIG_SLOTS, MAX(H2SRV_AHEAD_MIN, H2SRV_AHEAD_PER_WORKER * g->workers));
	r->inbox_pos = ecalloc(g->workers, sizeof(uint64_t));
	r->unwoken = ecalloc(g->workers, sizeof(uint32_t));
	r->unwoken_set = ecalloc(g->workers, 1);
	r->readers = ecalloc(g->workers, sizeof(*r->readers));
	for (uint32_t w = 0; w < g->workers; w++) {
		r->inbox_pos[w] = __atomic_load_n(&h2srv_region_inbox(g, w, id)->tail, __ATOMIC_ACQUIRE);
		r->readers[w].rpos = __atomic_load_n(&h2srv_region_out(g, w, id)->head, __ATOMIC_ACQUIRE);
	}
	r->deaths_seen = __atomic_load_n(g->deaths, __ATOMIC_ACQUIRE);
	uv_poll_init(&t->loop, &r->poll, r->wake->efd);
	uv_prepare_init(&t->loop, &r->prepare);
	uv_check_init(&t->loop, &r->check);
	uv_idle_init(&t->loop, &r->idle);
	uv_timer_init(&t->loop, &r->patience);
	r->patience.data = r;
	r->poll.data = r->prepare.data = r->check.data = r->idle.data = r;
	uv_poll_start(&r->poll, UV_READABLE, on_poll);
	uv_prepare_start(&r->prepare, on_prepare);
	uv_check_start(&r->check, on_check);
	/* None of them keeps the loop alive: the connections and listeners do. */
	uv_unref((uv_handle_t *)&r->poll);
	uv_unref((uv_handle_t *)&r->prepare);
	uv_unref((uv_handle_t *)&r->check);
	uv_unref((uv_handle_t *)&r->idle);
	t->side = &r->side;
	r->open = true;
	return 0;
}

void h2srv_reactor_stop(h2srv_reactor_t *r)
{
	if (!r->open) {
		return;
	}
	r->open = false;
	uv_close((uv_handle_t *)&r->poll, NULL);
	uv_close((uv_handle_t *)&r->prepare, NULL);
	uv_close((uv_handle_t *)&r->check, NULL);
	uv_close((uv_handle_t *)&r->idle, NULL);
	uv_close((uv_handle_t *)&r->patience, NULL);
	efree(r->free_small);
	efree(r->free_big);
	efree(r->inherited);
	if (r->owed.at) {
		efree(r->owed.at);
	}
	if (r->pending.at) {
		efree(r->pending.at);
	}
	efree(r->inbox_pos);
	efree(r->unwoken);
	efree(r->unwoken_set);
	for (uint32_t w = 0; w < r->g->workers; w++) {
		if (r->readers[w].pins) {
			efree(r->readers[w].pins);
		}
	}
	efree(r->readers);
	while (r->nfiles) {
		close(r->files[--r->nfiles].fd);
	}
	if (r->files) {
		efree(r->files);
	}
	if (r->closed_owed) {
		efree(r->closed_owed);
		r->closed_owed = NULL;
		r->nclosed_owed = r->cap_closed_owed = 0;
	}
	/* The connections are gone by now and with them every ticket. */
	if (r->tickets) {
		efree(r->tickets);
	}
}

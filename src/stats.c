#include "php.h"
#include "zend_smart_str.h"
#include "stats.h"
#include "shm.h"

void h2srv_stats_table_init(h2srv_stats_table_t *t, h2srv_stats_t **st)
{
	memset(t, 0, sizeof(*t));
	t->own.pid = (int32_t)getpid();
	*st = &t->own.st;
}

static void add(h2srv_stats_t *a, const h2srv_stats_t *b);

int h2srv_stats_table_share(h2srv_stats_table_t *t, uint32_t ids, uint32_t first_reactor)
{
	size_t n = (size_t)ids * H2SRV_STATS_SLOTS_PER_WORKER;

	t->slots = h2srv_shm_map(n * sizeof(h2srv_stats_slot_t));
	if (!t->slots) {
		return -1;
	}
	t->n = (uint32_t)n;
	t->first_reactor = first_reactor;
	for (size_t i = 0; i < n; i++) {
		t->slots[i].worker = (uint32_t)(i / H2SRV_STATS_SLOTS_PER_WORKER);
	}
	return 0;
}

void h2srv_stats_table_free(h2srv_stats_table_t *t)
{
	if (t->slots) {
		memset(&t->own.st, 0, sizeof(t->own.st));
		for (uint32_t i = 0; i < t->n; i++) {
			add(&t->own.st, &t->slots[i].st);
		}
		t->own.st.conns_open = 0;
		t->own.st.h2.streams_open = 0;
	}
	h2srv_shm_unmap(t->slots, t->n * sizeof(h2srv_stats_slot_t));
	t->slots = NULL;
	t->n = 0;
}

h2srv_stats_slot_t *h2srv_stats_claim(h2srv_stats_table_t *t, uint32_t worker)
{
	for (uint32_t i = 0; t->slots && i < H2SRV_STATS_SLOTS_PER_WORKER; i++) {
		h2srv_stats_slot_t *s = &t->slots[worker * H2SRV_STATS_SLOTS_PER_WORKER + i];
		if (s->pid == 0) {
			s->pid = -1; /* reserved until the worker says who it is */
			return s;
		}
	}
	return NULL;
}

void h2srv_stats_release(h2srv_stats_table_t *t, pid_t pid)
{
	for (uint32_t i = 0; t->slots && i < t->n; i++) {
		h2srv_stats_slot_t *s = &t->slots[i];
		if (s->pid == (int32_t)pid) {
			s->st.conns_open = 0;
			s->st.h2.streams_open = 0;
			s->pid = 0;
		}
	}
}

/* Adds every counter of |b| to |a| (the struct is nothing but 64-bit counters). */
_Static_assert(sizeof(h2srv_stats_t) % sizeof(uint64_t) == 0 && sizeof(h2srv_h2_stats_t) % sizeof(uint64_t) == 0,
	"h2srv_stats_t must hold only 64-bit counters: add() sums it as an array of them");
static void add(h2srv_stats_t *a, const h2srv_stats_t *b)
{
	uint64_t *x = (uint64_t *)a;
	const uint64_t *y = (const uint64_t *)b;

	for (size_t i = 0; i < sizeof(*a) / sizeof(uint64_t); i++) {
		x[i] += y[i];
	}
}

static void add_group(zval *out, const char *name, const char *const *keys, const uint64_t *vals, size_t n)
{
	zval g;

	array_init_size(&g, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		add_assoc_long(&g, keys[i], (zend_long)vals[i]);
	}
	add_assoc_zval(out, name, &g);
}

static void fill(zval *out, const h2srv_stats_t *st)
{
	static const char *const conn_keys[] = {"open", "total", "refused"};
	static const char *const tls_keys[] = {"handshakes", "failures", "sealed", "key_updates", "key_goaways"};
	static const char *const stream_keys[] = {"open", "total"};
	static const char *const status_keys[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
	static const char *const byte_keys[] = {"in", "out"};
	static const char *const reset_keys[] = {"received", "sent"};
	static const char *const goaway_keys[] = {"graceful", "enhance_your_calm", "protocol_error"};
	static const char *const timeout_keys[] = {"handshake", "idle", "read", "write"};
	static const char *const emit_keys[] = {"passes", "writes"};
	static const char *const http1_keys[] = {"connections", "requests", "refused", "pauses"};
	static const char *const compression_keys[] = {"in", "out"};
	static const char *const ws_keys[] = {"open", "total", "messages_in", "messages_out", "bytes_in", "bytes_out", "errors"};

	add_group(out, "connections", conn_keys, (uint64_t[]){st->conns_open, st->conns_total, st->conns_refused}, 3);
	add_group(out, "tls", tls_keys, (uint64_t[]){st->handshakes, st->handshake_failures, st->sealed,
		st->key_updates, st->key_goaways}, 5);
	add_group(out, "streams", stream_keys, (uint64_t[]){st->h2.streams_open, st->h2.streams_total}, 2);
	add_assoc_long(out, "requests", (zend_long)st->requests);
	add_assoc_long(out, "memory_trims", (zend_long)st->memory_trims);
	add_group(out, "responses", status_keys, st->h2.responses + 1, 5);
	add_group(out, "bytes", byte_keys, (uint64_t[]){st->bytes_in, st->bytes_out}, 2);
	add_group(out, "resets", reset_keys, (uint64_t[]){st->h2.resets_received, st->h2.resets_sent}, 2);
	add_group(out, "goaways", goaway_keys,
		(uint64_t[]){st->h2.goaway_graceful, st->h2.goaway_calm, st->h2.goaway_error}, 3);
	add_group(out, "timeouts", timeout_keys, (uint64_t[]){st->timeouts_handshake, st->timeouts_idle,
		st->timeouts_read, st->timeouts_write}, 4);
	add_assoc_long(out, "glitches", (zend_long)st->h2.glitches);
	add_group(out, "emit", emit_keys, (uint64_t[]){st->h2.emit_passes, st->h2.emit_writes}, 2);
	add_group(out, "http1", http1_keys, (uint64_t[]){st->h2.h1_conns, st->h2.h1_requests, st->h2.h1_refused,
		st->h2.h1_pauses}, 4);
	add_group(out, "compression", compression_keys, (uint64_t[]){st->compress_in, st->compress_out}, 2);
	add_group(out, "websockets", ws_keys, (uint64_t[]){st->h2.ws.open, st->h2.ws.total, st->h2.ws.messages_in,
		st->h2.ws.messages_out, st->h2.ws.bytes_in, st->h2.ws.bytes_out, st->h2.ws.errors}, 7);
}

/* Every slot that has counted, or the process's own. */
static const h2srv_stats_slot_t *slots_of(const h2srv_stats_table_t *t, uint32_t *n)
{
	*n = t->slots ? t->n : 1;
	return t->slots ? t->slots : &t->own;
}

void h2srv_stats_array(const h2srv_stats_table_t *t, uint32_t self, zval *out)
{
	h2srv_stats_t total = {0};
	uint32_t n;
	const h2srv_stats_slot_t *slots = slots_of(t, &n);
	zval procs;

	array_init(out);
	add_assoc_long(out, "worker", self);
	add_assoc_long(out, "pid", (zend_long)getpid());
	array_init(&procs);
	for (uint32_t i = 0; i < n; i++) {
		add(&total, &slots[i].st);
		if (slots[i].pid > 0) {
			zval p;
			bool reactor = t->slots && slots[i].worker >= t->first_reactor;
			array_init(&p);
			add_assoc_string(&p, "role", reactor ? "reactor" : "worker");
			add_assoc_long(&p, "worker", reactor ? slots[i].worker - t->first_reactor : slots[i].worker);
			add_assoc_long(&p, "pid", slots[i].pid);
			fill(&p, &slots[i].st);
			add_next_index_zval(&procs, &p);
		}
	}
	fill(out, &total);
	add_assoc_zval(out, "processes", &procs);
}

/* One metric: its name, help, type, where its value lies in h2srv_stats_t, and a label. */
typedef struct metric {
	const char *name;
	const char *help;
	bool gauge;
	size_t off;
	const char *label;   /* "key=\"value\"" for a labelled series of one family, or NULL */
} metric_t;

#define M(name, help, gauge, field, label) {name, help, gauge, offsetof(h2srv_stats_t, field), label}
static const metric_t metrics[] = {
	M("h2srv_connections_open", "TCP connections open.", true, conns_open, NULL),
	M("h2srv_connections_total", "TCP connections accepted.", false, conns_total, NULL),
	M("h2srv_connections_refused_total", "Connections closed at accept because of max_connections.", false, conns_refused, NULL),
	M("h2srv_tls_handshakes_total", "TLS handshakes completed.", false, handshakes, NULL),
	M("h2srv_tls_handshake_failures_total", "TLS handshakes that failed.", false, handshake_failures, NULL),
	M("h2srv_tls_sealed_total", "TLS connections whose records h2srv sealed.", false, sealed, NULL),
	M("h2srv_tls_key_updates_total", "KeyUpdates sent because a write key reached its usage limit.", false, key_updates, NULL),
	M("h2srv_tls_key_goaways_total", "TLS 1.2 connections told to go at the key usage limit.", false, key_goaways, NULL),
	M("h2srv_streams_open", "HTTP/2 streams open.", true, h2.streams_open, NULL),
	M("h2srv_streams_total", "HTTP/2 streams opened.", false, h2.streams_total, NULL),
	M("h2srv_requests_total", "Requests handed to the PHP handler.", false, requests, NULL),
	M("h2srv_responses_total", "Responses by status class, the server's own included.", false, h2.responses[1], "class=\"1xx\""),
	M("h2srv_responses_total", NULL, false, h2.responses[2], "class=\"2xx\""),
	M("h2srv_responses_total", NULL, false, h2.responses[3], "class=\"3xx\""),
	M("h2srv_responses_total", NULL, false, h2.responses[4], "class=\"4xx\""),
	M("h2srv_responses_total", NULL, false, h2.responses[5], "class=\"5xx\""),
	M("h2srv_received_bytes_total", "Bytes read from peers.", false, bytes_in, NULL),
	M("h2srv_sent_bytes_total", "Bytes given to the sockets for peers.", false, bytes_out, NULL),
	M("h2srv_resets_received_total", "RST_STREAM frames received.", false, h2.resets_received, NULL),
	M("h2srv_resets_sent_total", "RST_STREAM frames sent.", false, h2.resets_sent, NULL),
	M("h2srv_goaways_total", "GOAWAY frames sent, by cause.", false, h2.goaway_graceful, "cause=\"graceful\""),
	M("h2srv_goaways_total", NULL, false, h2.goaway_calm, "cause=\"enhance_your_calm\""),
	M("h2srv_goaways_total", NULL, false, h2.goaway_error, "cause=\"protocol_error\""),
	M("h2srv_timeouts_total", "Timeouts that fired, by kind.", false, timeouts_handshake, "kind=\"handshake\""),
	M("h2srv_timeouts_total", NULL, false, timeouts_idle, "kind=\"idle\""),
	M("h2srv_timeouts_total", NULL, false, timeouts_read, "kind=\"read\""),
	M("h2srv_timeouts_total", NULL, false, timeouts_write, "kind=\"write\""),
	M("h2srv_glitches_total", "Protocol glitches counted against peers' budgets.", false, h2.glitches, NULL),
	M("h2srv_emit_passes_total", "Emit passes that produced bytes.", false, h2.emit_passes, NULL),
	M("h2srv_emit_writes_total", "SSL_write_ex calls (vectored writes on h2c) of those passes.", false, h2.emit_writes, NULL),
	M("h2srv_memory_trims_total", "Times memory was given back after a burst of connections.", false, memory_trims, NULL),
	M("h2srv_websockets_open", "WebSockets open.", true, h2.ws.open, NULL),
	M("h2srv_websockets_total", "WebSockets accepted.", false, h2.ws.total, NULL),
	M("h2srv_websocket_messages_total", "WebSocket messages, by direction.", false, h2.ws.messages_in, "direction=\"in\""),
	M("h2srv_websocket_messages_total", NULL, false, h2.ws.messages_out, "direction=\"out\""),
	M("h2srv_websocket_bytes_total", "WebSocket message bytes, by direction.", false, h2.ws.bytes_in, "direction=\"in\""),
	M("h2srv_websocket_bytes_total", NULL, false, h2.ws.bytes_out, "direction=\"out\""),
	M("h2srv_websocket_errors_total", "WebSockets closed for a peer's protocol error.", false, h2.ws.errors, NULL),
};
#undef M

zend_string *h2srv_stats_metrics(const h2srv_stats_table_t *t)
{
	uint32_t n, workers = 0;
	const h2srv_stats_slot_t *slots = slots_of(t, &n);
	h2srv_stats_t *per;
	smart_str out = {0};

	for (uint32_t i = 0; i < n; i++) {
		workers = MAX(workers, slots[i].worker + 1);
	}
	/* A worker id's slots add up to one series that only grows, whichever process wrote it. */
	per = ecalloc(workers, sizeof(*per));
	for (uint32_t i = 0; i < n; i++) {
		add(&per[slots[i].worker], &slots[i].st);
	}
	for (size_t m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
		const metric_t *d = &metrics[m];
		if (d->help) {
			smart_str_append_printf(&out, "# HELP %s %s\n# TYPE %s %s\n", d->name, d->help, d->name,
				d->gauge ? "gauge" : "counter");
		}
		for (uint32_t w = 0; w < workers; w++) {
			uint64_t v = *(const uint64_t *)((const char *)&per[w] + d->off);
			bool reactor = t->slots && w >= t->first_reactor;
			smart_str_append_printf(&out, "%s{%s=\"%u\"%s%s} %" PRIu64 "\n", d->name, reactor ? "reactor" : "worker",
				reactor ? w - t->first_reactor : w, d->label ? "," : "", d->label ? d->label : "", v);
		}
	}
	efree(per);
	smart_str_0(&out);
	return out.s ? out.s : ZSTR_EMPTY_ALLOC();
}

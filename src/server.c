#include "php.h"
#include "zend_exceptions.h"
#include "php_open_temporary_file.h"
#include <fcntl.h>
#ifndef PHP_WIN32
#include <sys/resource.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "server.h"
#include "conn.h"
#include "h2/mem.h"
#include "request.h"
#include "response.h"
#include "tls/tls.h"
#include "options.h"
#include "listener.h"
#ifndef PHP_WIN32
#include "workers.h"
#include "timers.h"
#include "websocket.h"
#endif

/* ---- loop ------------------------------------------------------------------------------- */

void h2srv_server_close_listeners(h2srv_server_t *srv)
{
	if (!srv->listening) {
		return;
	}
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		h2srv_listener_close(&srv->listeners[i]);
	}
	srv->listening = false;
	h2srv_balance_leave(&srv->balance);
}



static void flush_logs(h2srv_server_t *srv)
{
	if (srv->access_log.buf.len) {
		h2srv_log_flush(&srv->access_log);
	}
	if (srv->error_log.buf.len) {
		h2srv_log_flush(&srv->error_log);
	}
}

static void on_log_flush(uv_prepare_t *h)
{
	flush_logs(h->data);
}

/* A burst of connections has gone; the allocators keep what it used for the next one: PHP's
 * heap and nghttp2's their free chunks, glibc's the free pages among its live blocks (most of
 * what OpenSSL allocated per connection). Give them back. */
static void give_back_memory(h2srv_server_t *srv)
{
	zend_mm_gc(zend_mm_get_heap());
	h2srv_h2_mem_gc();
#ifdef __GLIBC__
	malloc_trim(0);
#endif
	srv->t.stats->memory_trims++;
}

/* This process's resident memory in bytes, or 0 when it cannot be read. */
static uint64_t resident_bytes(void)
{
#ifdef __linux__
	char buf[64], *rest;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0) {
		close(fd);
	}
	if (n <= 0) {
		return 0;
	}
	buf[n] = '\0';
	strtoul(buf, &rest, 10); /* statm: size, then resident, in pages */
	return (uint64_t)strtoul(rest, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
#else
	return 0;
#endif
}

static void on_sweep(uv_timer_t *t)
{
	h2srv_server_t *srv = t->data;
	uint64_t now = uv_now(&srv->t.loop);
	uint64_t per_tick = (uint64_t)srv->limits.glitch_rate * H2SRV_SWEEP_MS / 1000;
	uint32_t refill = srv->limits.glitch_rate ? (uint32_t)MIN(UINT32_MAX, MAX(1, per_tick)) : 0;
	h2srv_conn_t *c, *next;

	for (c = srv->t.conns; c; c = next) {
		next = c->next; /* a tick may close |c| */
		h2srv_conn_tick(c, now, refill);
	}
	if (!srv->is_worker) {
		h2srv_certs_rotate_tickets(&srv->certs); /* a supervisor does it for its workers */
	}
	/* Once the open connections have fallen to half their peak and stayed there for a quiet
	 * spell, so once per burst and never while the count holds still; the peak starts again
	 * from here. Sooner, under a churn of short connections, each burst would fault in again
	 * what the last one gave back (5 to 8% of a new TLS connection's CPU). */
	if (srv->t.conns_peak - srv->t.nconns >= H2SRV_TRIM_DROP && srv->t.nconns <= srv->t.conns_peak / 2) {
		if (!srv->trim_at) {
			srv->trim_at = now + H2SRV_TRIM_QUIET_MS;
		} else if (now >= srv->trim_at) {
			give_back_memory(srv);
			srv->t.conns_peak = srv->t.nconns;
			srv->trim_at = 0;
		}
	} else {
		srv->trim_at = 0; /* they came back: what the burst used is in use again */
	}
}

static void abort_all(h2srv_server_t *srv)
{
	while (srv->t.conns) {
		h2srv_conn_abort(srv->t.conns);
	}
}

/* The last connection of a stopping server has gone: nothing is left to wait for. */
static void on_drained(h2srv_transport_t *t)
{
	h2srv_server_t *srv = (h2srv_server_t *)((char *)t - XtOffsetOf(h2srv_server_t, t));

	uv_timer_stop(&srv->stop_timer);
}

static void on_stop_timeout(uv_timer_t *t)
{
	h2srv_server_t *srv = t->data;

#ifndef PHP_WIN32
	if (srv->role == H2SRV_ROLE_WORKER) {
		h2srv_log(H2SRV_LOG_WARN, "shutdown timeout: worker %u leaves %u request(s) unfinished", srv->worker_id,
			srv->worker.nlive);
		h2srv_worker_close(&srv->worker); /* the reactors answer them once this process is gone */
		return;
	}
#endif
	if (srv->t.nconns) {
		h2srv_log(H2SRV_LOG_WARN, "shutdown timeout: closing %u connection(s) with streams in flight", srv->t.nconns);
	}
	abort_all(srv);
}

static void on_sighup(uv_signal_t *h, int signum)
{
	(void)signum;
	h2srv_server_reload_tls(h->data);
}

static void on_signal(uv_signal_t *h, int signum)
{
	h2srv_server_t *srv = h->data;

	(void)signum;
	if (srv->signals++ == 0) {
		h2srv_server_stop(srv);
		return;
	}
	abort_all(srv); /* a second signal: stop now */
}

void h2srv_server_stop(h2srv_server_t *srv)
{
	h2srv_conn_t *c, *next;

	if (srv->t.stopping) {
		return;
	}
	srv->t.stopping = true;
	h2srv_server_close_listeners(srv);
	for (c = srv->t.conns; c; c = next) {
		next = c->next;
		h2srv_conn_goaway(c);
	}
	h2srv_timers_unref(srv);
#ifndef PHP_WIN32
	if (srv->role == H2SRV_ROLE_WORKER) {
		if (srv->worker.nlive) {
			uv_timer_start(&srv->stop_timer, on_stop_timeout, srv->opts.shutdown_timeout_ms, 0);
		}
		h2srv_worker_stop(&srv->worker);
		return;
	}
#endif
	if (srv->running && srv->t.nconns) {
		uv_timer_start(&srv->stop_timer, on_stop_timeout, srv->opts.shutdown_timeout_ms, 0);
	}
}

void h2srv_server_stop_all(h2srv_server_t *srv)
{
#ifndef PHP_WIN32
	if (srv->is_worker) {
		kill(getppid(), SIGTERM); /* the supervisor stops every process */
		if (srv->role == H2SRV_ROLE_WORKER) {
			return; /* it takes requests until the reactors are gone, then the supervisor says */
		}
	}
#endif
	h2srv_server_stop(srv);
}

/* ---- handler ---------------------------------------------------------------------------- */

static void report_exception(h2srv_stream_t *s)
{
	zend_object *ex = EG(exception);
	zend_class_entry *base = instanceof_function(ex->ce, zend_ce_exception) ? zend_ce_exception : zend_ce_error;
	zval rv, *msg = zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
	int plen;
	const char *p = h2srv_field_or_unknown(s, s->f_path, &plen);

	h2srv_log(H2SRV_LOG_ERROR, "handler threw %s for %.*s: %s; answered 500", ZSTR_VAL(ex->ce->name), plen, p,
		Z_TYPE_P(msg) == IS_STRING ? Z_STRVAL_P(msg) : "");
}

static void call_handler(h2srv_server_t *srv, h2srv_stream_t *s, zval *args, zend_object *res)
{
	zval ret;

	ZVAL_UNDEF(&ret);
	zend_call_known_function(srv->handler_fcc.function_handler, srv->handler_fcc.object,
		srv->handler_fcc.called_scope, &ret, 2, args, NULL);
	zval_ptr_dtor(&ret);
	if (UNEXPECTED(EG(exception))) {
		if (zend_is_unwind_exit(EG(exception))) {
			/* exit() in a handler ends the server; the exit goes on once run() returns. */
			srv->exiting = true;
			uv_stop(&srv->t.loop);
		} else {
			report_exception(s);
			zend_clear_exception();
			h2srv_response_fail(res, 500);
		}
	}
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]); /* the last reference to an un-ended response answers 500 */
}

/* ---- the in-process PHP side (connection dispatch): see side.h ---------------------------- */

static h2srv_server_t *server_of(h2srv_side_t *side)
{
	return (h2srv_server_t *)((char *)side - XtOffsetOf(h2srv_server_t, side));
}

static void call(h2srv_server_t *srv, h2srv_stream_t *s, const h2srv_peer_t *peer, const h2srv_answer_t *ops);

static void side_request(h2srv_side_t *side, h2srv_stream_t *s, const h2srv_peer_t *peer)
{
	h2srv_server_t *srv = server_of(side);

	if (!srv->exiting) {
		call(srv, s, peer, &h2srv_answer_local);
	}
}

static void side_produce(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_response_produce(server_of(side), s);
}

static void side_input(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_response_input(server_of(side), s);
}

static void side_closed(h2srv_side_t *side, h2srv_stream_t *s)
{
	h2srv_response_closed(server_of(side), s);
}

/* Between requests: a worker past max_requests or max_worker_memory asks to be replaced (the
 * supervisor starts its successor, then stops it gracefully). */
static void recycle_if_due(h2srv_server_t *srv)
{
#ifndef PHP_WIN32
	uint64_t rss = 0;

	/* Resident size costs three syscalls: read at most once per sweep interval whatever the
	 * request rate (the clock is the vDSO's), and moved in between by what PHP's heap grew,
	 * which is where application code leaks. Without PHP's allocator (USE_ZEND_ALLOC=0, as
	 * under a sanitizer) that growth cannot be seen, and it is read each time. */
	if (srv->opts.max_worker_memory) {
		uint64_t now = uv_hrtime() / 1000000;
		size_t heap = zend_memory_usage(true);
		if (now - srv->rss_at >= H2SRV_SWEEP_MS || !is_zend_mm()) {
			srv->rss = resident_bytes();
			srv->rss_at = now;
			srv->rss_heap = heap;
		}
		rss = srv->rss + (heap > srv->rss_heap ? heap - srv->rss_heap : 0);
	}
	if (srv->opts.max_requests && srv->served >= srv->opts.max_requests) {
		h2srv_log(H2SRV_LOG_WARN, "worker %u served %" PRIu64 " requests (max_requests); asking to be replaced",
			srv->worker_id, srv->served);
	} else if (srv->opts.max_worker_memory && rss >= srv->opts.max_worker_memory) {
		h2srv_log(H2SRV_LOG_WARN, "worker %u is resident in %" PRIu64 " bytes (max_worker_memory %" PRIu64
			"); asking to be replaced", srv->worker_id, rss, srv->opts.max_worker_memory);
	} else {
		return;
	}
	srv->retiring = true;
	h2srv_workers_retire(srv);
	if (srv->role == H2SRV_ROLE_WORKER) {
		/* Past its limit it takes no more (the others and its successor will), whereas a worker
		 * replaced by a reload serves on until its successor is ready. */
		h2srv_server_stop(srv);
	}
#else
	(void)srv;
#endif
}

/* Calls the PHP handler for the complete request |s| from |peer|, answered through |ops|. */
static void call(h2srv_server_t *srv, h2srv_stream_t *s, const h2srv_peer_t *peer, const h2srv_answer_t *ops)
{
	zval args[2];
	zend_object *res = h2srv_response_new(s, ops, &srv->compress, srv->t.stats);

	srv->t.stats->requests++;
	if (UNEXPECTED(s->flags & H2SRV_STREAM_EARLY)) {
		h2srv_response_early(res, srv);
	}
	ZVAL_OBJ(&args[0], h2srv_request_new(s, peer));
	ZVAL_OBJ(&args[1], res);
	/* A fatal error longjmps to the script's end. Unwinding through libuv from inside a callback
	 * would leave the loop half-run, so catch it here, let the loop wind down, and continue it
	 * from run() (h2srv_server_serve) once uv_run has returned. */
	h2srv_balance_busy(&srv->balance, true);
	zend_try {
		call_handler(srv, s, args, res);
		/* An early request whose handler kept nothing that could answer it: 500, as for any
		 * response dropped without end(). */
		if (UNEXPECTED(s->side_data == res) && GC_REFCOUNT(res) == 1 && !h2srv_response_ended(res)) {
			/* a WebSocket handshake not accepted: the status the handler set (403 unless set) */
			h2srv_response_fail(res, (s->flags & H2SRV_STREAM_WS) ? 0 : 500);
		}
	} zend_catch {
		srv->bailout = true;
		srv->exiting = true;
		uv_stop(&srv->t.loop);
	} zend_end_try();
	h2srv_balance_busy(&srv->balance, false);
	srv->served++;
	if (UNEXPECTED(srv->opts.max_requests || srv->opts.max_worker_memory) && !srv->retiring) {
		recycle_if_due(srv);
	}
}

#ifndef PHP_WIN32
/* ---- a worker of request dispatch (dispatch/worker.h) -------------------------------------- */

static void worker_serve(void *ctx, h2srv_stream_t *s, const h2srv_peer_t *peer, const h2srv_answer_t *ops)
{
	h2srv_server_t *srv = ctx;

	if (!srv->exiting) {
		call(srv, s, peer, ops);
	}
}

static void worker_produce(void *ctx, h2srv_stream_t *s)
{
	h2srv_response_produce(ctx, s);
}

static void worker_input(void *ctx, h2srv_stream_t *s)
{
	h2srv_response_input(ctx, s);
}

static void worker_closed(void *ctx, h2srv_stream_t *s)
{
	h2srv_response_closed(ctx, s);
}

/* A stopping worker finished what it held: its loop may end. */
static void worker_drained(void *ctx)
{
	h2srv_server_t *srv = ctx;

	uv_timer_stop(&srv->stop_timer);
	h2srv_worker_close(&srv->worker);
}

static const h2srv_worker_calls_t worker_calls = {worker_serve, worker_produce, worker_input, worker_closed, worker_drained};
#endif

bool h2srv_server_call_user(h2srv_server_t *srv, zend_fcall_info_cache *fcc, zval *ret, uint32_t argc,
	zval *argv, const char *what)
{
	zend_object *ex;

	zend_try {
		zend_call_known_function(fcc->function_handler, fcc->object, fcc->called_scope, ret, argc, argv, NULL);
	} zend_catch {
		srv->bailout = true;
		srv->exiting = true;
		uv_stop(&srv->t.loop);
		return false;
	} zend_end_try();
	if (EXPECTED(!EG(exception))) {
		return true;
	}
	ex = EG(exception);
	if (zend_is_unwind_exit(ex)) {
		srv->exiting = true;
		uv_stop(&srv->t.loop);
	} else {
		zend_class_entry *base = instanceof_function(ex->ce, zend_ce_exception) ? zend_ce_exception : zend_ce_error;
		zval rv, *msg = zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
		h2srv_log(H2SRV_LOG_ERROR, "%s threw %s: %s", what, ZSTR_VAL(ex->ce->name),
			Z_TYPE_P(msg) == IS_STRING ? Z_STRVAL_P(msg) : "");
		zend_clear_exception();
	}
	return false;
}

/* ---- stats ------------------------------------------------------------------------------ */


void h2srv_server_stats(h2srv_server_t *srv, zval *out)
{
	h2srv_stats_array(&srv->stats_table, srv->worker_id, out);
}

zend_string *h2srv_server_metrics(h2srv_server_t *srv)
{
	return h2srv_stats_metrics(&srv->stats_table);
}

/* ---- lifecycle -------------------------------------------------------------------------- */

/* Lets the process hold max_connections sockets if the hard limit allows it. */
static void raise_fd_limit(uint32_t max_connections)
{
#ifndef PHP_WIN32
	struct rlimit rl;
	rlim_t want = (rlim_t)max_connections + 64; /* the listener, logs, files PHP opens */

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = MIN(want, rl.rlim_max);
		setrlimit(RLIMIT_NOFILE, &rl);
	}
#else
	(void)max_connections;
#endif
}

zend_result h2srv_server_init(h2srv_server_t *srv, HashTable *options)
{
	zend_string *logs[2] = {NULL, NULL};
	char why[512];

	if (srv->constructed) {
		zend_throw_exception(h2srv_ce_exception, "the server is already constructed", 0);
		return FAILURE;
	}
	srv->constructed = true;
	if (h2srv_options_parse(srv, options, logs) == FAILURE) {
		return FAILURE;
	}
	/* Logs first, so that what follows can be logged where the user asked. */
	if (h2srv_log_open(&srv->access_log, logs[0] ? ZSTR_VAL(logs[0]) : "stderr", why, sizeof(why)) != 0
		|| h2srv_log_open(&srv->error_log, logs[1] ? ZSTR_VAL(logs[1]) : "stderr", why, sizeof(why)) != 0) {
		zend_throw_exception(h2srv_ce_exception, why, 0);
		return FAILURE;
	}
	if (!logs[0]) {
		srv->access_log.fd = -1; /* off unless asked for */
	}
	h2srv_log_use(&srv->error_log, srv->log_level);
	if (!srv->upload_dir) {
		const char *tmp = php_get_temporary_directory();
		srv->upload_dir = zend_string_init(tmp, strlen(tmp), 0);
	}
	srv->limits.upload_dir = ZSTR_VAL(srv->upload_dir);
	raise_fd_limit(srv->opts.max_connections);
	/* cert and key are required for a TLS listener; given without one they are still checked. */
	if (h2srv_certs_given(&srv->certs)) {
		srv->t.ssl_ctx = h2srv_certs_context(&srv->certs, why, sizeof(why));
		if (!srv->t.ssl_ctx) {
			zend_throw_exception(h2srv_ce_exception, why, 0);
			return FAILURE;
		}
	}
	if (uv_loop_init(&srv->t.loop) != 0) {
		zend_throw_exception(h2srv_ce_exception, "cannot create the event loop", 0);
		return FAILURE;
	}
	srv->loop_ready = true;
	uv_timer_init(&srv->t.loop, &srv->stop_timer);
	srv->stop_timer.data = srv;
	uv_timer_init(&srv->t.loop, &srv->sweep);
	srv->sweep.data = srv;
	uv_prepare_init(&srv->t.loop, &srv->log_flush);
	srv->log_flush.data = srv;
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		uv_tcp_init(&srv->t.loop, &srv->listeners[i].tcp);
		srv->listeners[i].tcp.data = &srv->listeners[i];
		srv->listeners[i].srv = srv;
	}
	srv->listening = true;
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		if (h2srv_listener_open(srv, &srv->listeners[i]) == FAILURE) {
			return FAILURE;
		}
	}
	srv->side = (h2srv_side_t){side_request, side_input, side_produce, side_closed};
	srv->t.opts = &srv->opts;
	srv->t.limits = &srv->limits;
	srv->t.side = &srv->side;
	srv->t.balance = &srv->balance;
	srv->t.access_log = &srv->access_log;
	srv->t.drained = on_drained;
	h2srv_transport_init(&srv->t);
	return SUCCESS;
}

zend_result h2srv_server_run(h2srv_server_t *srv)
{
	if (!srv->loop_ready) {
		zend_throw_exception(h2srv_ce_exception, "the server was not constructed", 0);
		return FAILURE;
	}
	if (srv->running) {
		zend_throw_exception(h2srv_ce_exception, "run() is already running", 0);
		return FAILURE;
	}
	if (Z_ISUNDEF(srv->handler)) {
		zend_throw_exception(h2srv_ce_exception, "no handler: call handle() before run()", 0);
		return FAILURE;
	}
	if (srv->t.stopping && !srv->listening && srv->t.nconns == 0) {
		return SUCCESS; /* stop() before run(): nothing to serve */
	}
#ifndef PHP_WIN32
	if (srv->opts.workers > 1 || srv->opts.dispatch_request) {
		return h2srv_workers_run(srv);
	}
#endif
	h2srv_server_serve(srv);
	return SUCCESS;
}

/* Runs the bootstrap option for this worker; returns false when it threw. */
static bool bootstrap(h2srv_server_t *srv)
{
	zval arg, ret;

	if (Z_ISUNDEF(srv->bootstrap)) {
		return true;
	}
	ZVAL_LONG(&arg, srv->worker_id);
	ZVAL_UNDEF(&ret);
	zend_call_known_function(srv->bootstrap_fcc.function_handler, srv->bootstrap_fcc.object,
		srv->bootstrap_fcc.called_scope, &ret, 1, &arg, NULL);
	zval_ptr_dtor(&ret);
	return !EG(exception);
}

void h2srv_server_serve(h2srv_server_t *srv)
{
	/* A reactor runs no PHP code at all: bootstrap is for the processes that run handlers. */
	if (srv->role != H2SRV_ROLE_REACTOR && !bootstrap(srv)) {
		return; /* the exception leaves run() (in a worker: ends it, and it is restarted) */
	}
#ifndef PHP_WIN32
	if (srv->role == H2SRV_ROLE_WORKER) {
		h2srv_server_close_listeners(srv); /* the reactors accept */
		h2srv_worker_start(&srv->worker, &srv->t.loop, &srv->region, srv->lane, &worker_calls, srv);
	} else if (srv->role == H2SRV_ROLE_REACTOR) {
		h2srv_reactor_start(&srv->reactor, &srv->t, &srv->region, srv->worker_id - srv->opts.workers);
	}
#endif
	srv->pid = getpid();
#ifndef PHP_WIN32
	srv->mailbox.fd = srv->mailbox.sender = -1;
	if (((srv->role == H2SRV_ROLE_SERVE && srv->opts.workers > 1) || srv->role == H2SRV_ROLE_WORKER)
		&& h2srv_mailbox_open(&srv->mailbox, &srv->t.loop, h2srv_websocket_mail, srv) != 0) {
		h2srv_log(H2SRV_LOG_WARN, "worker %u: no mailbox for sendTo() from other workers: %s", srv->worker_id,
			strerror(errno));
	}
#endif
	uv_signal_init(&srv->t.loop, &srv->sigint);
	uv_signal_init(&srv->t.loop, &srv->sigterm);
	uv_signal_init(&srv->t.loop, &srv->sighup);
	srv->sigint.data = srv->sigterm.data = srv->sighup.data = srv;
	/* A worker stops on its supervisor's SIGTERM; a terminal's Ctrl-C reaches the whole
	 * process group, and the supervisor turns it into that SIGTERM. */
	if (!srv->is_worker) {
		uv_signal_start(&srv->sigint, on_signal, SIGINT);
	} else {
		signal(SIGINT, SIG_IGN);
	}
	uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
	uv_signal_start(&srv->sighup, on_sighup, SIGHUP);
	/* Signals alone must not keep run() going once everything else is done. */
	uv_unref((uv_handle_t *)&srv->sigint);
	uv_unref((uv_handle_t *)&srv->sigterm);
	uv_unref((uv_handle_t *)&srv->sighup);
	uv_timer_start(&srv->sweep, on_sweep, H2SRV_SWEEP_MS, H2SRV_SWEEP_MS);
	uv_unref((uv_handle_t *)&srv->sweep);
	uv_prepare_start(&srv->log_flush, on_log_flush);
	uv_unref((uv_handle_t *)&srv->log_flush);
	srv->access_log.buffered = srv->error_log.buffered = true;
	srv->signals = 0;

	srv->running = true;
	uv_run(&srv->t.loop, UV_RUN_DEFAULT);
	srv->running = false;
	srv->access_log.buffered = srv->error_log.buffered = false;
	flush_logs(srv);
	if (srv->bailout) {
		zend_bailout(); /* a handler's fatal error goes on; shutdown closes what is open */
	}

	/* Reached on a finished stop, or early when a handler called exit(). */
	abort_all(srv);
	h2srv_server_close_listeners(srv);
	srv->t.stopping = true;
	uv_close((uv_handle_t *)&srv->sigint, NULL);
	uv_close((uv_handle_t *)&srv->sigterm, NULL);
	uv_close((uv_handle_t *)&srv->sighup, NULL);
	uv_idle_stop(&srv->t.idle);
	uv_timer_stop(&srv->stop_timer);
	uv_timer_stop(&srv->sweep);
	uv_prepare_stop(&srv->log_flush);
	h2srv_timers_clear(srv);
#ifndef PHP_WIN32
	if (srv->role == H2SRV_ROLE_WORKER) {
		h2srv_worker_close(&srv->worker);
	} else if (srv->role == H2SRV_ROLE_REACTOR) {
		h2srv_reactor_stop(&srv->reactor);
	}
	h2srv_mailbox_close(&srv->mailbox);
#endif
	uv_run(&srv->t.loop, UV_RUN_NOWAIT);
	flush_logs(srv);
}

int h2srv_server_reload_tls(h2srv_server_t *srv)
{
	char why[512];
	SSL_CTX *ctx;

	if (!h2srv_certs_given(&srv->certs)) {
		return 0; /* cleartext only: no certificate to reload */
	}
	ctx = h2srv_certs_context(&srv->certs, why, sizeof(why));
	if (!ctx) {
		h2srv_log(H2SRV_LOG_ERROR, "reload failed, keeping the old certificate: %s", why);
		return -1;
	}
	/* Open connections keep the context they started with: OpenSSL counts its references. */
	SSL_CTX_free(srv->t.ssl_ctx);
	srv->t.ssl_ctx = ctx;
	return 0;
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h)) {
		uv_close(h, NULL);
	}
}

void h2srv_server_free(h2srv_server_t *srv)
{
	h2srv_timers_clear(srv);
	h2srv_websocket_forget_all(srv);
	if (srv->loop_ready) {
		abort_all(srv);
		uv_walk(&srv->t.loop, close_any, NULL);
		uv_run(&srv->t.loop, UV_RUN_DEFAULT);
		uv_loop_close(&srv->t.loop);
		srv->loop_ready = false;
	}
	if (srv->t.ssl_ctx) {
		SSL_CTX_free(srv->t.ssl_ctx);
		srv->t.ssl_ctx = NULL;
	}
	h2srv_static_free(&srv->statics);
	h2srv_compress_free(&srv->compress);
	for (uint32_t i = 0; i < srv->limits.nearly; i++) {
		zend_string_release(srv->limits.early[i]);
	}
	if (srv->limits.early) {
		pefree(srv->limits.early, 1);
		srv->limits.early = NULL;
	}
	srv->limits.nearly = 0;
	srv->opts.statics = NULL;
	if (srv->upload_dir) {
		zend_string_release(srv->upload_dir);
		srv->upload_dir = NULL;
	}
	h2srv_certs_free(&srv->certs);
	if (srv->listeners) {
		efree(srv->listeners); /* the loop, and so every handle in here, is closed above */
		srv->listeners = NULL;
		srv->nlisteners = 0;
	}
	h2srv_transport_free(&srv->t);
	zval_ptr_dtor(&srv->handler);
	ZVAL_UNDEF(&srv->handler);
	zval_ptr_dtor(&srv->bootstrap);
	ZVAL_UNDEF(&srv->bootstrap);
	h2srv_log_close(&srv->access_log);
	h2srv_log_close(&srv->error_log);
	/* Last: closing connections above still counts. */
	h2srv_stats_table_free(&srv->stats_table);
	srv->t.stats = &srv->stats_table.own.st;
}

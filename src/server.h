#ifndef H2SRV_SERVER_H
#define H2SRV_SERVER_H

#include <uv.h>
#include <openssl/ssl.h>
#include "php.h"
#include "php_h2srv.h"
#include "h2/session.h"
#include "log.h"
#include "balance.h"
#include "side.h"
#include "stats.h"
#include "transport.h"
#include "static.h"
#include "compress.h"
#include "certs.h"
#ifndef PHP_WIN32
#include "dispatch/region.h"
#include "dispatch/reactor.h"
#include "dispatch/worker.h"
#include "mailbox.h"
#endif

struct h2srv_conn;

#define H2SRV_LISTEN_BACKLOG 511
/* Connections that must have gone since the peak (and at least half of it) before the
 * allocators are asked to give memory back; the peak starts again from there. */
#define H2SRV_TRIM_DROP 32
/* How long the count must stay down before they are asked: a burst that comes back sooner
 * reuses what the last one left instead of faulting it in again. */
#define H2SRV_TRIM_QUIET_MS 4000

#define H2SRV_MAX_LISTENERS 16

/* One listening socket; its address and whether it speaks TLS come from the listen option. */
typedef struct h2srv_listener {
	uv_tcp_t tcp;                  /* bound and listening; accepting is listener.c's */
	uv_poll_t poll;                /* wakes the loop when a connection is pending */
	uv_timer_t retry;              /* accepting resumes after a deferral or a lack of fds */
	int fd;
	struct h2srv_server *srv;
	struct sockaddr_storage addr;
	bool tls;                      /* false: cleartext (h2c by prior knowledge, or HTTP/1.x) */
	bool http1;                    /* HTTP/1.x beside HTTP/2 (ALPN http/1.1 or none; cleartext
	                                * without the HTTP/2 preface) */
	bool open;                     /* poll and retry initialised */
	bool deferred;                 /* a pending connection was left to a less loaded worker */
} h2srv_listener_t;



/* What this process does. */
typedef enum {
	H2SRV_ROLE_SERVE,              /* connections and handlers (connection dispatch) */
	H2SRV_ROLE_REACTOR,            /* connections only; requests go to the workers */
	H2SRV_ROLE_WORKER              /* handlers only, for requests any reactor queued */
} h2srv_role_t;

typedef struct h2srv_server {
	h2srv_transport_t t;           /* the loop and the connections on it */
	h2srv_listener_t *listeners;   /* fixed once bound: libuv holds pointers into it */
	uint32_t nlisteners;
	uv_signal_t sigint;
	uv_signal_t sigterm;
	uv_signal_t sighup;            /* reload the certificate */
	uv_timer_t stop_timer;
	uv_timer_t sweep;              /* timeouts and glitch refills, every H2SRV_SWEEP_MS */
	uint64_t trim_at;              /* loop time memory is given back, if the connections stay
	                                * down until then; 0 while they have not gone down */
	uv_prepare_t log_flush;        /* writes the logs' buffered lines before the loop sleeps */
	h2srv_log_t access_log;        /* fd -1 unless the access_log option is set */
	h2srv_log_t error_log;
	h2srv_log_level_t log_level;
	h2srv_certs_t certs;           /* the certificate options, kept for reloads */
	zend_string *upload_dir;       /* option; the system's temporary directory by default */
	h2srv_static_t statics;        /* options static and static_index */
	h2srv_compress_t compress;     /* the compression options */
	h2srv_opts_t opts;
	h2srv_h2_limits_t limits;
	h2srv_stats_table_t stats_table;
	h2srv_balance_t balance;       /* workers' loads, to share new connections */
	h2srv_side_t side;             /* the PHP side the connections call (in-process) */
	zval handler;
	zend_fcall_info_cache handler_fcc;
	zval bootstrap;                /* option: called in each worker before it serves */
	zend_fcall_info_cache bootstrap_fcc;
	uint32_t worker_id;            /* 0 .. workers-1; a reactor: workers + its index */
	h2srv_role_t role;
	uint32_t lane;                 /* ROLE_WORKER: its rings and wake-up in the region */
#ifndef PHP_WIN32
	h2srv_region_t region;         /* request dispatch: what reactors and workers share */
	h2srv_reactor_t reactor;       /* ROLE_REACTOR */
	h2srv_worker_t worker;         /* ROLE_WORKER */
	h2srv_mailbox_t mailbox;       /* connection dispatch with several workers: sendTo() between them */
#endif
	pid_t pid;                     /* this process's, from when it began serving */
	HashTable timers;              /* id => h2srv_timer_t*, from after() and every() */
	HashTable sockets;             /* serial => open H2srv\WebSocket of this process (no reference) */
	zend_long last_timer_id;
	bool constructed;              /* __construct() ran (a second call would leak and rebind) */
	bool loop_ready;
	bool listening;
	bool running;
	bool exiting;                  /* a handler called exit(): leave run() now */
	bool bailout;                  /* a handler hit a fatal error: leave run() through it */
	bool is_worker;                /* a forked worker: SIGINT is the supervisor's business */
	bool retiring;                 /* this worker asked to be replaced (max_requests, memory) */
	uint64_t served;               /* handler calls in this process */
	uint64_t rss;                  /* resident bytes, when max_worker_memory is set */
	uint64_t rss_at;               /* ms (uv_hrtime) |rss| was read */
	size_t rss_heap;               /* PHP's heap then */
	uint8_t signals;               /* SIGINT/SIGTERM seen; the second one stops at once */
	zend_object std;
} h2srv_server_t;

static inline h2srv_server_t *h2srv_server_from_obj(zend_object *obj)
{
	return (h2srv_server_t *)((char *)obj - XtOffsetOf(h2srv_server_t, std));
}

/* Parses |options|, loads the certificate and binds the listener; throws and returns FAILURE. */
zend_result h2srv_server_init(h2srv_server_t *srv, HashTable *options);

/* Runs the loop until the server has stopped; throws and returns FAILURE on misuse. */
zend_result h2srv_server_run(h2srv_server_t *srv);

/* Serves on this process's loop until the server has stopped (run() with one worker, or the
 * body of a forked worker). */
void h2srv_server_serve(h2srv_server_t *srv);

/* Loads cert and key again into a new TLS context for new connections; on failure keeps the
 * old one, logs why and returns -1. */
int h2srv_server_reload_tls(h2srv_server_t *srv);

/* Begins a graceful stop of this process (idempotent). */
void h2srv_server_stop(h2srv_server_t *srv);

/* stop(): a graceful stop of the whole server; from a forked process, through the supervisor. */
void h2srv_server_stop_all(h2srv_server_t *srv);

/* Stops accepting: closes every listener (idempotent). */
void h2srv_server_close_listeners(h2srv_server_t *srv);

/* Frees the loop, listeners and TLS context. */
void h2srv_server_free(h2srv_server_t *srv);

/* Fills |out| (an array) with the counters of every process of the server, and each one's. */
void h2srv_server_stats(h2srv_server_t *srv, zval *out);

/* The same counters in the Prometheus text format. */
zend_string *h2srv_server_metrics(h2srv_server_t *srv);

/* Calls a user callable from the loop the way the handler is called: an exception is logged
 * (|what| names the callable) and cleared, exit() and fatal errors end run(). Returns false
 * when the call did not complete. */
bool h2srv_server_call_user(h2srv_server_t *srv, zend_fcall_info_cache *fcc, zval *ret, uint32_t argc,
	zval *argv, const char *what);

/* Keeps a callable a method was given (Z_PARAM_FUNC) in |slot| and |slot_fcc| for such calls,
 * in place of the one kept there before. */
static inline void h2srv_callback_store(zval *slot, zend_fcall_info_cache *slot_fcc, zend_fcall_info *fci,
	zend_fcall_info_cache *fcc)
{
	zval_ptr_dtor(slot);
	ZVAL_COPY(slot, &fci->function_name);
	*slot_fcc = *fcc;
}

#endif

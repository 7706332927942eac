#ifndef H2SRV_TIMERS_H
#define H2SRV_TIMERS_H

#include "server.h"

#define H2SRV_TIMER_MAX_MS (7 * 24 * 3600 * 1000) /* ms; the longest after()/every() interval */

/* Starts a timer that calls |fcc| after |ms| milliseconds, then every |ms| if |repeat|;
 * returns its id (from 1). The callable is copied. */
zend_long h2srv_timer_start(h2srv_server_t *srv, zend_long ms, bool repeat, zval *callable,
	zend_fcall_info_cache *fcc);

/* Cancels timer |id|; returns whether it was still pending. */
bool h2srv_timer_cancel(h2srv_server_t *srv, zend_long id);

/* A graceful stop: timers no longer keep run() going, but still fire while streams drain. */
void h2srv_timers_unref(h2srv_server_t *srv);

/* Cancels every timer (run() has returned, or the server is freed). */
void h2srv_timers_clear(h2srv_server_t *srv);

/* Adds the timers' callables to a GC buffer: they may hold the server. */
void h2srv_timers_gc(h2srv_server_t *srv, zend_get_gc_buffer *buf);

#endif

#include "php.h"
#include "timers.h"

typedef struct h2srv_timer {
	uv_timer_t handle;
	h2srv_server_t *srv;
	zend_long id;
	zval callable;
	zend_fcall_info_cache fcc;
	bool repeat;
	bool firing;    /* its callable runs now: a cancel() from inside only marks it */
	bool cancelled;
} h2srv_timer_t;

static void on_closed(uv_handle_t *h)
{
	efree(h->data);
}

/* Forgets the timer; its memory goes once libuv has closed the handle. */
static void destroy(h2srv_timer_t *t)
{
	zend_hash_index_del(&t->srv->timers, (zend_ulong)t->id);
	zval_ptr_dtor(&t->callable);
	ZVAL_UNDEF(&t->callable);
	uv_close((uv_handle_t *)&t->handle, on_closed);
}

static void on_fire(uv_timer_t *h)
{
	h2srv_timer_t *t = h->data;
	zval ret;

	t->firing = true;
	ZVAL_UNDEF(&ret);
	h2srv_server_call_user(t->srv, &t->fcc, &ret, 0, NULL, t->repeat ? "every() callback" : "after() callback");
	zval_ptr_dtor(&ret);
	t->firing = false;
	if (t->cancelled || !t->repeat) {
		destroy(t);
	}
}

zend_long h2srv_timer_start(h2srv_server_t *srv, zend_long ms, bool repeat, zval *callable,
	zend_fcall_info_cache *fcc)
{
	h2srv_timer_t *t = emalloc(sizeof(*t));

	t->srv = srv;
	t->id = ++srv->last_timer_id;
	ZVAL_COPY(&t->callable, callable);
	t->fcc = *fcc;
	t->repeat = repeat;
	t->firing = t->cancelled = false;
	uv_timer_init(&srv->t.loop, &t->handle);
	t->handle.data = t;
	/* The loop's clock is as old as this turn and counts whole ms: count from now, and one ms
	 * more, so that the callback never runs before $ms have passed. */
	uv_update_time(&srv->t.loop);
	uv_timer_start(&t->handle, on_fire, (uint64_t)ms + 1, repeat ? (uint64_t)ms : 0);
	if (srv->t.stopping) {
		uv_unref((uv_handle_t *)&t->handle);
	}
	zend_hash_index_add_new_ptr(&srv->timers, (zend_ulong)t->id, t);
	return t->id;
}

bool h2srv_timer_cancel(h2srv_server_t *srv, zend_long id)
{
	h2srv_timer_t *t = zend_hash_index_find_ptr(&srv->timers, (zend_ulong)id);

	if (!t || t->cancelled) {
		return false;
	}
	uv_timer_stop(&t->handle);
	if (t->firing) {
		t->cancelled = true;
	} else {
		destroy(t);
	}
	return true;
}

void h2srv_timers_unref(h2srv_server_t *srv)
{
	h2srv_timer_t *t;

	ZEND_HASH_FOREACH_PTR(&srv->timers, t) {
		uv_unref((uv_handle_t *)&t->handle);
	} ZEND_HASH_FOREACH_END();
}

void h2srv_timers_clear(h2srv_server_t *srv)
{
	h2srv_timer_t *t;

	ZEND_HASH_FOREACH_PTR(&srv->timers, t) {
		if (t->firing) {
			uv_timer_stop(&t->handle);
			t->cancelled = true;
		} else {
			destroy(t);
		}
	} ZEND_HASH_FOREACH_END();
}

void h2srv_timers_gc(h2srv_server_t *srv, zend_get_gc_buffer *buf)
{
	h2srv_timer_t *t;

	ZEND_HASH_FOREACH_PTR(&srv->timers, t) {
		zend_get_gc_buffer_add_zval(buf, &t->callable);
	} ZEND_HASH_FOREACH_END();
}

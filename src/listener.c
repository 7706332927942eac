#include "php.h"
#include "zend_exceptions.h"
#ifndef PHP_WIN32
#include <sys/socket.h>
#endif
#include "listener.h"
#include "server.h"
#include "conn.h"

#ifndef PHP_WIN32
/* Whether the socket holds the port the listen option named. */
static bool bound_as_asked(h2srv_listener_t *l)
{
	struct sockaddr_storage got;
	int len = sizeof(got);
	uint16_t want = l->addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&l->addr)->sin6_port
		: ((struct sockaddr_in *)&l->addr)->sin_port;

	if (uv_tcp_getsockname(&l->tcp, (struct sockaddr *)&got, &len) != 0) {
		return false;
	}
	return want == 0 || want == (got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
		: ((struct sockaddr_in *)&got)->sin_port);
}

static void on_acceptable(uv_poll_t *p, int status, int events);
static void on_retry(uv_timer_t *t);

/* Takes one pending connection; returns false when there was none or accepting must pause. */
static bool take_one(h2srv_listener_t *l)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd = accept4(l->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd >= 0) {
		/* The peer's address comes with the socket: no getpeername() per connection. */
		h2srv_conn_accept(&l->srv->t, (uv_stream_t *)&l->tcp, l->tls, l->http1, fd, (struct sockaddr *)&peer);
		return true;
	}
	if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
		h2srv_log(H2SRV_LOG_WARN, "cannot accept a connection: %s; pausing for %d ms", strerror(errno),
			H2SRV_ACCEPT_EMFILE_MS);
		l->deferred = false;
		uv_poll_stop(&l->poll);
		uv_timer_start(&l->retry, on_retry, H2SRV_ACCEPT_EMFILE_MS, 0);
	}
	return false; /* EAGAIN: another worker was first; ECONNABORTED and the like: gone */
}

static void on_retry(uv_timer_t *t)
{
	h2srv_listener_t *l = t->data;

	/* A deferred connection still pending: the worker it was left to did not come for it. */
	if (l->deferred) {
		l->deferred = false;
		take_one(l);
	}
	if (!uv_is_active((uv_handle_t *)&l->retry)) {
		uv_poll_start(&l->poll, UV_READABLE, on_acceptable);
	}
}

static void on_acceptable(uv_poll_t *p, int status, int events)
{
	h2srv_listener_t *l = p->data;

	(void)events;
	if (status < 0) {
		return;
	}
	for (int i = 0; i < H2SRV_ACCEPT_BATCH && l->srv->listening; i++) {
		if (!h2srv_balance_my_turn(&l->srv->balance)) {
			l->deferred = true;
			uv_poll_stop(&l->poll);
			uv_timer_start(&l->retry, on_retry, H2SRV_ACCEPT_DEFER_MS, 0);
			return;
		}
		if (!take_one(l)) {
			return;
		}
	}
}
#else
static void on_connection(uv_stream_t *listener, int status)
{
	h2srv_listener_t *l = listener->data;

	if (status == 0) {
		h2srv_conn_accept(&l->srv->t, (uv_stream_t *)&l->tcp, l->tls, l->http1, -1, NULL);
	}
}
#endif

zend_result h2srv_listener_open(h2srv_server_t *srv, h2srv_listener_t *l)
{
	const struct sockaddr_storage *a = &l->addr;
	char addr[INET6_ADDRSTRLEN] = "?";
	int port, rc;

	rc = uv_tcp_bind(&l->tcp, (const struct sockaddr *)a, a->ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0);
#ifndef PHP_WIN32
	/* Accepting is ours, not libuv's: a worker decides whether to take a connection before it
	 * takes it (see balance.h). */
	if (rc == 0) {
		uv_os_fd_t fd;
		rc = uv_fileno((uv_handle_t *)&l->tcp, &fd);
		/* libuv keeps a bind's EADDRINUSE for uv_listen(), which is not called here; an unbound
		 * socket would listen on a port of the kernel's choosing. */
		if (rc == 0 && !bound_as_asked(l)) {
			rc = UV_EADDRINUSE;
		}
		if (rc == 0 && listen(fd, H2SRV_LISTEN_BACKLOG) != 0) {
			rc = uv_translate_sys_error(errno);
		}
		if (rc == 0) {
			l->fd = fd;
			uv_poll_init_socket(&srv->t.loop, &l->poll, fd);
			l->poll.data = l;
			uv_timer_init(&srv->t.loop, &l->retry);
			l->retry.data = l;
			l->open = true;
			rc = uv_poll_start(&l->poll, UV_READABLE, on_acceptable);
		}
	}
#else
	if (rc == 0) {
		rc = uv_listen((uv_stream_t *)&l->tcp, H2SRV_LISTEN_BACKLOG, on_connection);
	}
	l->open = true;
#endif
	if (rc == 0) {
		return SUCCESS;
	}
	if (a->ss_family == AF_INET6) {
		uv_ip6_name((const struct sockaddr_in6 *)a, addr, sizeof(addr));
		port = ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
	} else {
		uv_ip4_name((const struct sockaddr_in *)a, addr, sizeof(addr));
		port = ntohs(((const struct sockaddr_in *)a)->sin_port);
	}
	zend_throw_exception_ex(h2srv_ce_exception, 0, "cannot listen on %s%s%s:%d: %s",
		a->ss_family == AF_INET6 ? "[" : "", addr, a->ss_family == AF_INET6 ? "]" : "", port, uv_strerror(rc));
	return FAILURE;
}

void h2srv_listener_close(h2srv_listener_t *l)
{
#ifndef PHP_WIN32
	if (l->open) {
		/* The poll goes first: the socket it watches closes with the tcp handle. */
		uv_close((uv_handle_t *)&l->poll, NULL);
		uv_close((uv_handle_t *)&l->retry, NULL);
	}
#endif
	l->open = false;
	uv_close((uv_handle_t *)&l->tcp, NULL);
}

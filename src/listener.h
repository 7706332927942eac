#ifndef H2SRV_LISTENER_H
#define H2SRV_LISTENER_H

#include "php.h"

struct h2srv_server;
struct h2srv_listener;

/* A worker that leaves a pending connection to a less loaded one takes it itself after this
 * long if it is still there (the other may be stuck in a handler that started meanwhile). */
#define H2SRV_ACCEPT_DEFER_MS 25 /* ms */
/* After the process ran out of file descriptors, accepting waits this long before it tries
 * again, instead of being woken at once by the same pending connection. */
#define H2SRV_ACCEPT_EMFILE_MS 100 /* ms */
/* Connections taken per wake-up at most, so that a flood of them cannot starve open ones. */
#define H2SRV_ACCEPT_BATCH 64

/* Binds and listens on |l| (its tcp handle initialised on the server's loop) and starts
 * accepting; throws naming the
 * address and returns FAILURE. IPv6 addresses take IPv6 only, so that "[::]:443" and
 * "0.0.0.0:443" can be listed side by side. */
zend_result h2srv_listener_open(struct h2srv_server *srv, struct h2srv_listener *l);

/* Stops accepting and closes the socket. */
void h2srv_listener_close(struct h2srv_listener *l);

#endif

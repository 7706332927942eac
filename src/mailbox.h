#ifndef H2SRV_MAILBOX_H
#define H2SRV_MAILBOX_H

#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>
#include "buf.h"

/*
 * WebSocket messages between the worker processes of connection dispatch: Server::sendTo() in
 * one worker reaches a socket another worker holds. Each worker receives on a datagram socket
 * in the abstract namespace named for its pid (no file, gone with the process); the kernel
 * tells the sender's uid, and only our own is taken. What one loop turn sends to a worker goes
 * as one datagram (a broadcast costs a syscall per worker, not per socket); a datagram the
 * receiver's queue cannot take yet is sent again a moment later.
 */

#define H2SRV_MAILBOX_MAX (256 * 1024)      /* bytes of one datagram, so of one message between workers */
#define H2SRV_MAILBOX_BACKLOG (16 * 1024 * 1024) /* bytes waiting for one worker; past it sendTo() says false */
#define H2SRV_MAILBOX_RETRY_MS 2            /* ms before a datagram the receiver could not take goes again */
#define H2SRV_MAILBOX_PEERS 64              /* workers one process sends to */

typedef void (*h2srv_mailbox_cb)(void *ctx, uint64_t serial, bool binary, const char *p, size_t len);

/* Messages on their way to one other worker. */
typedef struct h2srv_mail_peer {
	pid_t pid;
	h2srv_buf_t out;               /* records, sent in datagrams of up to H2SRV_MAILBOX_MAX */
} h2srv_mail_peer_t;

typedef struct h2srv_mailbox {
	uv_poll_t poll;
	uv_prepare_t flush;            /* end of the loop turn: what was sent goes */
	uv_timer_t retry;
	int fd;                        /* -1 while closed */
	int sender;                    /* an unbound socket every datagram goes out on */
	h2srv_mailbox_cb cb;
	void *ctx;
	h2srv_mail_peer_t peers[H2SRV_MAILBOX_PEERS];
	uint32_t npeers;
} h2srv_mailbox_t;

/* Starts receiving on |loop| for this process; returns 0 or -1 (errno set). */
int h2srv_mailbox_open(h2srv_mailbox_t *m, uv_loop_t *loop, h2srv_mailbox_cb cb, void *ctx);

/* Queues a message for socket |serial| of process |pid| (sent at the end of this loop turn);
 * returns false when |pid| is no other worker of this server, the message is too big, or too
 * much waits for that worker already. */
bool h2srv_mailbox_send(h2srv_mailbox_t *m, pid_t pid, uint64_t serial, bool binary, const char *p, size_t len);

/* Stops receiving and drops what waits (idempotent). */
void h2srv_mailbox_close(h2srv_mailbox_t *m);

#endif

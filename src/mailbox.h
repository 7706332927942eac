#ifndef H2SRV_MAILBOX_H
#define H2SRV_MAILBOX_H

#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>

/*
 * WebSocket messages between the worker processes of connection dispatch: Server::sendTo() in
 * one worker reaches a socket another worker holds. Each worker receives on a datagram socket
 * in the abstract namespace named for its pid (no file, gone with the process); the kernel
 * tells the sender's uid, and only our own is taken. A message is one datagram, so it arrives
 * whole or not at all.
 */

#define H2SRV_MAILBOX_MAX (256 * 1024)   /* bytes of one message between workers; past it sendTo() says false */

typedef void (*h2srv_mailbox_cb)(void *ctx, uint64_t serial, bool binary, const char *p, size_t len);

typedef struct h2srv_mailbox {
	uv_poll_t poll;
	int fd;                        /* -1 while closed */
	h2srv_mailbox_cb cb;
	void *ctx;
} h2srv_mailbox_t;

/* Starts receiving on |loop| for this process; returns 0 or -1 (errno set). */
int h2srv_mailbox_open(h2srv_mailbox_t *m, uv_loop_t *loop, h2srv_mailbox_cb cb, void *ctx);

/* Hands a message for socket |serial| to process |pid|'s mailbox; returns whether it was taken
 * (false: no such process, its queue is full, or the message is too big). */
bool h2srv_mailbox_send(pid_t pid, uint64_t serial, bool binary, const char *p, size_t len);

/* Stops receiving (idempotent). */
void h2srv_mailbox_close(h2srv_mailbox_t *m);

#endif

#include "php.h"
#include "mailbox.h"
#include <sys/socket.h>
#include <sys/un.h>

#define H2SRV_MAILBOX_RCVBUF (4 * 1024 * 1024) /* bytes a worker's queue holds */

/* What precedes a message's bytes in its datagram. */
typedef struct mail_head {
	uint64_t serial;
	uint32_t binary;
	uint32_t pad;
} mail_head_t;

static int sender = -1;               /* per process: one unbound socket sends every message */
static char inbox[sizeof(mail_head_t) + H2SRV_MAILBOX_MAX];

static socklen_t address(struct sockaddr_un *a, pid_t pid)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	/* sun_path[0] = '\0': the abstract namespace */
	n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "h2srv-mailbox-%d", (int)pid);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	h2srv_mailbox_t *m = h->data;

	(void)status;
	(void)events;
	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = {inbox, sizeof(inbox)};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
		struct cmsghdr *c;
		const struct ucred *cred = NULL;
		mail_head_t head;
		ssize_t n = recvmsg(m->fd, &msg, MSG_DONTWAIT);

		if (n < 0) {
			return; /* EAGAIN: all taken */
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
				cred = (const struct ucred *)CMSG_DATA(c);
			}
		}
		/* Another user's process may know the name: only our own uid's messages count. */
		if (!cred || cred->uid != geteuid() || (size_t)n < sizeof(head) || (msg.msg_flags & MSG_TRUNC)) {
			continue;
		}
		memcpy(&head, inbox, sizeof(head));
		m->cb(m->ctx, head.serial, head.binary != 0, inbox + sizeof(head), (size_t)n - sizeof(head));
		if (m->fd < 0) {
			return; /* the callback stopped the server */
		}
	}
}

int h2srv_mailbox_open(h2srv_mailbox_t *m, uv_loop_t *loop, h2srv_mailbox_cb cb, void *ctx)
{
	struct sockaddr_un a;
	socklen_t alen = address(&a, getpid());
	int on = 1, size = H2SRV_MAILBOX_RCVBUF;

	m->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		return -1;
	}
	if (setsockopt(m->fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0
		|| bind(m->fd, (struct sockaddr *)&a, alen) != 0) {
		close(m->fd);
		m->fd = -1;
		return -1;
	}
	setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)); /* capped by rmem_max: best effort */
	m->cb = cb;
	m->ctx = ctx;
	uv_poll_init(loop, &m->poll, m->fd);
	m->poll.data = m;
	uv_poll_start(&m->poll, UV_READABLE, on_readable);
	uv_unref((uv_handle_t *)&m->poll); /* it alone keeps no server running */
	return 0;
}

bool h2srv_mailbox_send(pid_t pid, uint64_t serial, bool binary, const char *p, size_t len)
{
	struct sockaddr_un a;
	socklen_t alen = address(&a, pid);
	mail_head_t head = {serial, binary, 0};
	struct iovec iov[2] = {{&head, sizeof(head)}, {(void *)p, len}};
	struct msghdr msg = {.msg_name = &a, .msg_namelen = alen, .msg_iov = iov, .msg_iovlen = 2};

	if (len > H2SRV_MAILBOX_MAX) {
		return false;
	}
	if (sender < 0) {
		int size = (int)(sizeof(inbox) + 4096);
		sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (sender < 0) {
			return false;
		}
		setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	}
	return sendmsg(sender, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)(sizeof(head) + len);
}

void h2srv_mailbox_close(h2srv_mailbox_t *m)
{
	if (m->fd >= 0) {
		uv_poll_stop(&m->poll);
		uv_close((uv_handle_t *)&m->poll, NULL);
		close(m->fd);
		m->fd = -1;
	}
}

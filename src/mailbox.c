#include "php.h"
#include "mailbox.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#define H2SRV_MAILBOX_RCVBUF (4 * 1024 * 1024) /* bytes a worker's queue holds (capped by rmem_max) */

/* What precedes each message's bytes in a datagram. */
typedef struct mail_head {
	uint64_t serial;
	uint32_t binary;
	uint32_t len;
} mail_head_t;

static char inbox[H2SRV_MAILBOX_MAX]; /* one datagram; the loop is single-threaded */

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
	while (m->fd >= 0) {
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = {inbox, sizeof(inbox)};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
		struct cmsghdr *c;
		const struct ucred *cred = NULL;
		ssize_t n = recvmsg(m->fd, &msg, MSG_DONTWAIT);
		size_t at = 0;

		if (n < 0) {
			return; /* EAGAIN: all taken */
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
				cred = (const struct ucred *)CMSG_DATA(c);
			}
		}
		/* Another user's process may know the name: only our own uid's messages count. */
		if (!cred || cred->uid != geteuid() || (msg.msg_flags & MSG_TRUNC)) {
			continue;
		}
		while ((size_t)n - at >= sizeof(mail_head_t) && m->fd >= 0) {
			mail_head_t head;
			memcpy(&head, inbox + at, sizeof(head));
			at += sizeof(head);
			if (head.len > (size_t)n - at) {
				break; /* torn: not from us */
			}
			m->cb(m->ctx, head.serial, head.binary != 0, inbox + at, head.len);
			at += head.len;
		}
	}
}

/* Sends what waits for |peer|, a datagram at a time; returns false when the receiver's queue
 * is full (the rest waits for the retry timer). A receiver that is gone loses what waited. */
static bool flush_peer(h2srv_mailbox_t *m, h2srv_mail_peer_t *peer)
{
	struct sockaddr_un a;
	socklen_t alen = address(&a, peer->pid);
	size_t at = 0;

	while (at < peer->out.len) {
		size_t len = 0;
		struct iovec iov;
		struct msghdr msg = {.msg_name = &a, .msg_namelen = alen, .msg_iov = &iov, .msg_iovlen = 1};

		/* whole records, up to a datagram's size */
		while (at + len < peer->out.len) {
			mail_head_t head;
			memcpy(&head, peer->out.data + at + len, sizeof(head));
			if (len && len + sizeof(head) + head.len > H2SRV_MAILBOX_MAX) {
				break;
			}
			len += sizeof(head) + head.len;
		}
		iov = (struct iovec){peer->out.data + at, len};
		if (sendmsg(m->sender, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			h2srv_buf_consume(&peer->out, at);
			return false;
		}
		at += len;
	}
	peer->out.len = 0;
	if (peer->out.cap > H2SRV_MAILBOX_MAX) {
		h2srv_buf_free(&peer->out);
	}
	return true;
}

static void on_retry(uv_timer_t *h);

static void flush_all(h2srv_mailbox_t *m)
{
	bool done = true;

	for (uint32_t i = 0; i < m->npeers; i++) {
		if (m->peers[i].out.len && !flush_peer(m, &m->peers[i])) {
			done = false;
		}
	}
	uv_prepare_stop(&m->flush);
	if (!done) {
		uv_timer_start(&m->retry, on_retry, H2SRV_MAILBOX_RETRY_MS, 0);
	}
}

static void on_retry(uv_timer_t *h)
{
	flush_all(h->data);
}

static void on_flush(uv_prepare_t *h)
{
	flush_all(h->data);
}

int h2srv_mailbox_open(h2srv_mailbox_t *m, uv_loop_t *loop, h2srv_mailbox_cb cb, void *ctx)
{
	struct sockaddr_un a;
	socklen_t alen = address(&a, getpid());
	int on = 1, size = H2SRV_MAILBOX_RCVBUF, sndsize = H2SRV_MAILBOX_MAX + 4096;

	memset(m, 0, sizeof(*m));
	m->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	m->sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0 || m->sender < 0 || setsockopt(m->fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0
		|| bind(m->fd, (struct sockaddr *)&a, alen) != 0) {
		int e = errno;
		if (m->fd >= 0) {
			close(m->fd);
		}
		if (m->sender >= 0) {
			close(m->sender);
		}
		m->fd = m->sender = -1;
		errno = e;
		return -1;
	}
	/* best effort: capped by rmem_max and wmem_max */
	setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(m->sender, SOL_SOCKET, SO_SNDBUF, &sndsize, sizeof(sndsize));
	m->cb = cb;
	m->ctx = ctx;
	uv_poll_init(loop, &m->poll, m->fd);
	m->poll.data = m;
	uv_poll_start(&m->poll, UV_READABLE, on_readable);
	uv_prepare_init(loop, &m->flush);
	m->flush.data = m;
	uv_timer_init(loop, &m->retry);
	m->retry.data = m;
	/* none of them alone keeps a server running */
	uv_unref((uv_handle_t *)&m->poll);
	uv_unref((uv_handle_t *)&m->flush);
	uv_unref((uv_handle_t *)&m->retry);
	return 0;
}

/* Whether |pid| is another worker of this server: a child of our supervisor (Linux's /proc). */
static bool sibling(pid_t pid)
{
	char path[64], buf[256];
	const char *paren;
	int fd, ppid = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return false;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return false;
	}
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses, so from the last ')' */
	if ((paren = strrchr(buf, ')')) == NULL || sscanf(paren + 1, " %*c %d", &ppid) != 1) {
		return false;
	}
	return ppid == (int)getppid();
}

bool h2srv_mailbox_send(h2srv_mailbox_t *m, pid_t pid, uint64_t serial, bool binary, const char *p, size_t len)
{
	mail_head_t head = {serial, binary, (uint32_t)len};
	h2srv_mail_peer_t *peer = NULL;

	if (m->fd < 0 || len > H2SRV_MAILBOX_MAX - sizeof(head)) {
		return false;
	}
	for (uint32_t i = 0; i < m->npeers; i++) {
		if (m->peers[i].pid == pid) {
			peer = &m->peers[i];
			break;
		}
	}
	if (!peer) {
		/* a worker replaced since: its slot is reused once nothing waits for it */
		for (uint32_t i = 0; i < m->npeers && !peer; i++) {
			if (m->peers[i].out.len == 0 && kill(m->peers[i].pid, 0) != 0) {
				peer = &m->peers[i];
			}
		}
		if ((!peer && m->npeers == H2SRV_MAILBOX_PEERS) || !sibling(pid)) {
			return false; /* (checked once per worker: its slot stays while it lives) */
		}
		if (!peer) {
			peer = &m->peers[m->npeers++];
			memset(&peer->out, 0, sizeof(peer->out));
			peer->out.persistent = true;
		}
		peer->pid = pid;
	}
	if (peer->out.len + sizeof(head) + len > H2SRV_MAILBOX_BACKLOG) {
		return false;
	}
	h2srv_buf_append(&peer->out, &head, sizeof(head));
	h2srv_buf_append(&peer->out, p, len);
	uv_prepare_start(&m->flush, on_flush);
	return true;
}

void h2srv_mailbox_close(h2srv_mailbox_t *m)
{
	if (m->fd < 0) {
		return;
	}
	uv_poll_stop(&m->poll);
	uv_close((uv_handle_t *)&m->poll, NULL);
	uv_close((uv_handle_t *)&m->flush, NULL);
	uv_close((uv_handle_t *)&m->retry, NULL);
	close(m->fd);
	close(m->sender);
	m->fd = m->sender = -1;
	for (uint32_t i = 0; i < m->npeers; i++) {
		h2srv_buf_free(&m->peers[i].out);
	}
	m->npeers = 0;
}

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include "dispatch/region.h"
#include "shm.h"

#define ALIGN64(n) (((n) + 63) & ~(size_t)63)

static size_t ring_stride(uint32_t size)
{
	return ALIGN64(h2srv_ring_bytes(size));
}

_Static_assert(H2SRV_QUEUE_CAP > H2SRV_SLOTS + H2SRV_BIG_SLOTS
	&& (H2SRV_QUEUE_CAP & (H2SRV_QUEUE_CAP - 1)) == 0, "a queue holds every slot of its reactor");

int h2srv_region_init(h2srv_region_t *g, uint32_t reactors, uint32_t workers)
{
	size_t q = ALIGN64(reactors * sizeof(h2srv_queue_t));
	size_t wakes = ALIGN64((reactors + workers) * sizeof(h2srv_wake_t));
	size_t per = (size_t)H2SRV_SLOTS * H2SRV_SLOT_BYTES + (size_t)H2SRV_BIG_SLOTS * H2SRV_BIG_SLOT_BYTES;
	size_t rings = (size_t)workers * reactors * (ring_stride(H2SRV_OUT_RING) + ring_stride(H2SRV_INBOX_RING));
	unsigned char *p;

	memset(g, 0, sizeof(*g));
	g->len = q + wakes + 64 + per * reactors + rings;
	g->base = h2srv_shm_map(g->len);
	if (!g->base) {
		return -1;
	}
	g->reactors = reactors;
	g->workers = workers;
	p = g->base;
	g->queues = (h2srv_queue_t *)p;
	p += q;
	g->reactor_wake = (h2srv_wake_t *)p;
	g->worker_wake = g->reactor_wake + reactors;
	p += wakes;
	g->deaths = (uint64_t *)p;
	p += 64;
	g->slots = p;
	g->slots_per_reactor = per;
	p += per * reactors;
	g->rings = p;
	for (uint32_t w = 0; w < workers; w++) {
		for (uint32_t r = 0; r < reactors; r++) {
			h2srv_ring_init(h2srv_region_out(g, w, r), H2SRV_OUT_RING);
			h2srv_ring_init(h2srv_region_inbox(g, w, r), H2SRV_INBOX_RING);
		}
	}
	for (uint32_t i = 0; i < reactors + workers; i++) {
		g->reactor_wake[i].efd = g->reactor_wake[i].files[0] = g->reactor_wake[i].files[1] = -1;
	}
	for (uint32_t i = 0; i < reactors + workers; i++) {
		g->reactor_wake[i].efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (g->reactor_wake[i].efd < 0 || (i < reactors
			&& socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, g->reactor_wake[i].files) != 0)) {
			int e = errno;
			h2srv_region_free(g);
			errno = e;
			return -1;
		}
	}
	return 0;
}

void h2srv_region_free(h2srv_region_t *g)
{
	if (!g->base) {
		return;
	}
	for (uint32_t i = 0; i < g->reactors + g->workers; i++) {
		h2srv_wake_t *w = &g->reactor_wake[i];
		if (w->efd >= 0) {
			close(w->efd);
		}
		if (w->files[0] >= 0) {
			close(w->files[0]);
			close(w->files[1]);
		}
	}
	h2srv_shm_unmap(g->base, g->len);
	g->base = NULL;
}

h2srv_ring_t *h2srv_region_out(const h2srv_region_t *g, uint32_t worker, uint32_t reactor)
{
	size_t pair = ring_stride(H2SRV_OUT_RING) + ring_stride(H2SRV_INBOX_RING);

	return (h2srv_ring_t *)(g->rings + ((size_t)worker * g->reactors + reactor) * pair);
}

h2srv_ring_t *h2srv_region_inbox(const h2srv_region_t *g, uint32_t worker, uint32_t reactor)
{
	return (h2srv_ring_t *)((unsigned char *)h2srv_region_out(g, worker, reactor) + ring_stride(H2SRV_OUT_RING));
}

/* Claims the slot of |q|'s entry at the head, if it is still queued, and moves the head past
 * the entry (or sees that another worker did). A worker that read the head late may claim a
 * slot whose entry the head has passed, reused and queued again: that takes the same request
 * a little ahead of its entry, which then finds it taken and is passed. Every queuing of a
 * slot is still taken once: by its entry or before it. */
static bool take_from(h2srv_region_t *g, uint32_t reactor, uint64_t mine, uint32_t *slot)
{
	h2srv_queue_t *q = &g->queues[reactor];

	for (;;) {
		uint64_t h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
		uint64_t queued = H2SRV_CLAIM(H2SRV_SLOT_QUEUED, 0, 0);
		uint32_t i;
		bool got;

		if (h == __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE)) {
			return false;
		}
		i = __atomic_load_n(&q->entries[h & (H2SRV_QUEUE_CAP - 1)], __ATOMIC_RELAXED);
		got = i < H2SRV_SLOTS + H2SRV_BIG_SLOTS
			&& __atomic_compare_exchange_n(&h2srv_region_slot(g, reactor, i)->claim, &queued, mine, false,
				__ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
		__atomic_compare_exchange_n(&q->head, &h, h + 1, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		if (got) {
			*slot = i;
			return true;
		}
	}
}

bool h2srv_queue_take(h2srv_region_t *g, uint32_t worker, uint32_t *reactor, uint32_t *slot)
{
	uint64_t mine = H2SRV_CLAIM(H2SRV_SLOT_TAKEN, worker, __atomic_load_n(&g->worker_wake[worker].life, __ATOMIC_RELAXED));

	for (uint32_t k = 0; k < g->reactors; k++) {
		uint32_t r = (*reactor + k) % g->reactors;
		if (take_from(g, r, mine, slot)) {
			*reactor = r;
			return true;
		}
	}
	return false;
}

int h2srv_files_send(int sock, int fd, uint64_t token)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&token, sizeof(token)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(token) ? 0 : -1;
}

int h2srv_files_recv(int sock, uint64_t *token)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {token, sizeof(*token)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(*token)) {
		return -1;
	}
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	return fd;
}

void h2srv_wake(h2srv_wake_t *w)
{
	uint32_t one = 1;
	uint64_t n = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&w->sleeping, __ATOMIC_RELAXED)
		&& __atomic_compare_exchange_n(&w->sleeping, &one, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
		ssize_t rv = write(w->efd, &n, sizeof(n));
		(void)rv;
	}
}

void h2srv_wake_up(h2srv_wake_t *w)
{
	uint64_t n;

	if (__atomic_exchange_n(&w->sleeping, 0, __ATOMIC_SEQ_CST) == 0) {
		ssize_t rv = read(w->efd, &n, sizeof(n)); /* a waker took the flag: take its count */
		(void)rv;
	}
}

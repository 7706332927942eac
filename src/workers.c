#include "php.h"
#include "zend_exceptions.h"
#include <signal.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include "workers.h"
#include "log.h"

#define H2SRV_RESTART_MIN_MS 100    /* first delay before restarting a worker that died young */
#define H2SRV_RESTART_MAX_MS 5000   /* the delay doubles up to this while workers keep dying young */
#define H2SRV_YOUNG_MS 1000         /* a worker that lived less than this "died young" */
#define H2SRV_SUPERVISE_TICK_MS 100 /* how often the supervisor looks at its restart schedule */
#define H2SRV_STOP_GRACE_MS 5000    /* past shutdown_timeout, workers still alive are killed */

typedef struct worker_slot {
	pid_t pid;            /* 0 while the slot waits for a restart */
	uint64_t started;     /* ms */
	uint64_t restart_at;  /* ms; when to start the slot again */
	uint64_t backoff;     /* ms */
} worker_slot_t;

typedef struct supervisor {
	h2srv_server_t *srv;
	worker_slot_t *slots;
	pid_t *retiring;      /* replaced by a reload, draining; not restarted when they exit */
	uint32_t nretiring;
	sigset_t old_mask;
	uint64_t kill_at;     /* ms; when a stop gives up on workers that have not exited */
	bool stopping;
} supervisor_t;

static uint64_t now_ms(void)
{
	return uv_hrtime() / 1000000;
}

/* Forks worker |id|; in the child this never returns. */
static pid_t spawn(supervisor_t *sv, uint32_t id)
{
	h2srv_server_t *srv = sv->srv;
	pid_t parent = getpid();
	h2srv_stats_slot_t *slot = h2srv_stats_claim(&srv->stats_table, id);
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	h2srv_log_flush(&srv->error_log); /* or the worker would write the parent's lines again */
	h2srv_log_flush(&srv->access_log);
	pid = fork();
	if (pid != 0) {
		if (pid < 0) {
			h2srv_log(H2SRV_LOG_ERROR, "cannot start worker %u: %s", id, strerror(errno));
		}
		if (slot) {
			slot->pid = pid > 0 ? (int32_t)pid : 0;
		}
		return pid;
	}
#ifdef __linux__
	/* A supervisor killed outright (SIGKILL) takes its workers along instead of orphaning them. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) {
		_exit(0);
	}
#else
	(void)parent;
#endif
	sigprocmask(SIG_SETMASK, &sv->old_mask, NULL);
	srv->is_worker = true;
	srv->worker_id = id;
	if (slot) {
		slot->pid = (int32_t)getpid();
		srv->t.stats = &slot->st; /* counted where the supervisor and the other workers see it */
	}
	if (uv_loop_fork(&srv->t.loop) != 0) {
		_exit(70);
	}
	h2srv_balance_join(&srv->balance, id);
	h2srv_server_serve(srv);
	/* The worker's life ends with its loop: no script code after run() runs here. A handler's
	 * exit() is already unwinding with its own status. */
	if (!EG(exception)) {
		EG(exit_status) = 0;
		zend_throw_unwind_exit();
	}
	return 0; /* back into PHP, which unwinds out of run() and ends the process */
}

static void start_slot(supervisor_t *sv, uint32_t id)
{
	worker_slot_t *w = &sv->slots[id];

	w->pid = spawn(sv, id);
	w->started = now_ms();
	if (w->pid < 0) {
		w->pid = 0;
		w->restart_at = w->started + H2SRV_RESTART_MAX_MS;
	}
}

static void log_death(uint32_t id, pid_t pid, int status)
{
	if (WIFSIGNALED(status)) {
		h2srv_log(H2SRV_LOG_ERROR, "worker %u (pid %d) was killed by signal %d; restarting it",
			id, (int)pid, WTERMSIG(status));
	} else {
		h2srv_log(H2SRV_LOG_ERROR, "worker %u (pid %d) exited with status %d%s; restarting it", id, (int)pid,
			WEXITSTATUS(status), WEXITSTATUS(status) == 255 ? " (a PHP fatal error?)" : "");
	}
}

static void reap(supervisor_t *sv)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		uint64_t now = now_ms();
		bool found = false;

		h2srv_stats_release(&sv->srv->stats_table, pid);
		for (uint32_t i = 0; i < sv->nretiring; i++) {
			if (sv->retiring[i] == pid) {
				sv->retiring[i] = sv->retiring[--sv->nretiring];
				found = true;
				break;
			}
		}
		for (uint32_t i = 0; !found && i < sv->srv->opts.workers; i++) {
			worker_slot_t *w = &sv->slots[i];
			if (w->pid != pid) {
				continue;
			}
			found = true;
			w->pid = 0;
			h2srv_balance_vacate(&sv->srv->balance, i);
			if (sv->stopping) {
				break;
			}
			log_death(i, pid, status);
			if (now - w->started < H2SRV_YOUNG_MS) {
				w->backoff = w->backoff ? MIN(w->backoff * 2, H2SRV_RESTART_MAX_MS) : H2SRV_RESTART_MIN_MS;
				w->restart_at = now + w->backoff;
			} else {
				w->backoff = 0;
				w->restart_at = now;
			}
		}
	}
}

/* Worker |i| is replaced by a fresh one, started first, while the old one drains its
 * connections like a graceful stop. */
static void replace(supervisor_t *sv, uint32_t i)
{
	pid_t old = sv->slots[i].pid;

	if (old <= 0) {
		return;
	}
	start_slot(sv, i);
	if (sv->nretiring < 4 * sv->srv->opts.workers) {
		sv->retiring[sv->nretiring++] = old;
	}
	kill(old, SIGTERM);
}

/* New certificate first; then each worker is replaced by a fresh one (which inherits it). */
static void reload(supervisor_t *sv)
{
	if (h2srv_server_reload_tls(sv->srv) != 0) {
		return;
	}
	for (uint32_t i = 0; i < sv->srv->opts.workers; i++) {
		replace(sv, i);
	}
}

/* A worker asked to be replaced: the one whose pid sent the signal, if it is still current. */
static void recycle(supervisor_t *sv, pid_t pid)
{
	for (uint32_t i = 0; i < sv->srv->opts.workers; i++) {
		if (sv->slots[i].pid == pid) {
			replace(sv, i);
			return;
		}
	}
}

void h2srv_workers_retire(h2srv_server_t *srv)
{
	(void)srv;
	kill(getppid(), SIGUSR1);
}

static void signal_all(supervisor_t *sv, int sig)
{
	for (uint32_t i = 0; i < sv->srv->opts.workers; i++) {
		if (sv->slots[i].pid > 0) {
			kill(sv->slots[i].pid, sig);
		}
	}
	for (uint32_t i = 0; i < sv->nretiring; i++) {
		kill(sv->retiring[i], sig);
	}
}

static uint32_t alive(supervisor_t *sv)
{
	uint32_t n = sv->nretiring;

	for (uint32_t i = 0; i < sv->srv->opts.workers; i++) {
		n += sv->slots[i].pid > 0;
	}
	return n;
}

zend_result h2srv_workers_run(h2srv_server_t *srv)
{
	supervisor_t sv = { .srv = srv };
	sigset_t mask;
	const struct timespec tick = { 0, H2SRV_SUPERVISE_TICK_MS * 1000000L };

	sv.slots = ecalloc(srv->opts.workers, sizeof(*sv.slots));
	if (h2srv_stats_table_share(&srv->stats_table, srv->opts.workers) != 0) {
		h2srv_log(H2SRV_LOG_WARN, "no shared memory for the counters (%s): stats() shows each worker's own",
			strerror(errno));
	}
	if (h2srv_balance_init(&srv->balance, srv->opts.workers) != 0) {
		h2srv_log(H2SRV_LOG_WARN, "no shared memory for the workers' loads (%s): each takes the connections it wakes for",
			strerror(errno));
	}
	sv.retiring = ecalloc(4 * srv->opts.workers, sizeof(*sv.retiring));
	/* Signals stay pending until sigtimedwait takes them, so none is lost between checks. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1); /* a worker asks to be replaced */
	sigprocmask(SIG_BLOCK, &mask, &sv.old_mask);

	for (uint32_t i = 0; i < srv->opts.workers; i++) {
		start_slot(&sv, i);
		if (srv->is_worker) {
			goto worker;
		}
	}
	while (!sv.stopping || alive(&sv)) {
		siginfo_t info;
		int sig = sigtimedwait(&mask, &info, &tick);
		uint64_t now;

		if (sig == SIGINT || sig == SIGTERM) {
			/* The first is a graceful stop, a second one makes the workers stop at once. */
			if (!sv.stopping) {
				sv.kill_at = now_ms() + srv->opts.shutdown_timeout_ms + H2SRV_STOP_GRACE_MS;
			}
			sv.stopping = true;
			signal_all(&sv, SIGTERM);
		} else if (sig == SIGHUP && !sv.stopping) {
			reload(&sv);
			if (srv->is_worker) {
				goto worker;
			}
		} else if (sig == SIGUSR1 && !sv.stopping) {
			recycle(&sv, info.si_pid);
			if (srv->is_worker) {
				goto worker;
			}
		}
		reap(&sv);
		h2srv_certs_rotate_tickets(&srv->certs); /* the workers read the keys it writes */
		now = now_ms();
		if (sv.stopping && sv.kill_at && now >= sv.kill_at) {
			h2srv_log(H2SRV_LOG_WARN, "%u worker(s) did not stop in time; killing them", alive(&sv));
			signal_all(&sv, SIGKILL);
			sv.kill_at = 0;
		}
		for (uint32_t i = 0; !sv.stopping && i < srv->opts.workers; i++) {
			if (sv.slots[i].pid == 0 && sv.slots[i].restart_at <= now) {
				start_slot(&sv, i);
				if (srv->is_worker) {
					goto worker;
				}
			}
		}
	}
	sigprocmask(SIG_SETMASK, &sv.old_mask, NULL);
	efree(sv.slots);
	efree(sv.retiring);
	h2srv_server_close_listeners(srv);
	h2srv_balance_free(&srv->balance);
	h2srv_stats_table_free(&srv->stats_table);
	srv->t.stopping = true;
	uv_run(&srv->t.loop, UV_RUN_NOWAIT);
	return SUCCESS;

worker:
	/* spawn() returned in the child after its loop ended: leave with the unwinding exit. */
	efree(sv.slots);
	efree(sv.retiring);
	return SUCCESS;
}

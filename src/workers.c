#include "php.h"
#include "zend_exceptions.h"
#include <signal.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sched.h>
#endif
#include "ext/standard/basic_functions.h"
#include "workers.h"
#include "log.h"

#define H2SRV_RESTART_MIN_MS 100    /* first delay before restarting a worker that died young */
#define H2SRV_RESTART_MAX_MS 5000   /* the delay doubles up to this while workers keep dying young */
#define H2SRV_YOUNG_MS 1000         /* a worker that lived less than this "died young" */
#define H2SRV_SUPERVISE_TICK_MS 100 /* how often the supervisor looks at its restart schedule */
#define H2SRV_STOP_GRACE_MS 5000    /* past shutdown_timeout, workers still alive are killed */
#define H2SRV_LANES_PER_WORKER 4    /* a worker and the predecessors still finishing (reloads) */
#define H2SRV_READY_WAIT_MS 60000   /* a replaced worker retires at the latest this long after its
                                     * successor started, ready (bootstrap done) or not */

typedef struct worker_slot {
	pid_t pid;            /* 0 while the slot waits for a restart */
	uint64_t started;     /* ms */
	uint64_t restart_at;  /* ms; when to start the slot again */
	uint64_t backoff;     /* ms */
} worker_slot_t;

/* Request dispatch: a replaced worker keeps taking requests until its successor is ready. */
typedef struct handover {
	pid_t old;
	pid_t successor;
	uint32_t lane;                 /* the successor's */
	uint64_t deadline;             /* ms */
} handover_t;

typedef struct supervisor {
	h2srv_server_t *srv;
	worker_slot_t *slots;          /* the workers, then (request dispatch) the reactors */
	uint32_t nslots;
	uint32_t nworkers;
	pid_t *lanes;                  /* request dispatch: which process holds each lane, 0: free */
	uint32_t nlanes;
	handover_t *handovers;         /* replaced workers waiting for their successors to be ready */
	uint32_t nhandovers;
	pid_t *retiring;      /* replaced by a reload, draining; not restarted when they exit */
	uint32_t nretiring;
	sigset_t old_mask;
	uint64_t kill_at;     /* ms; when a stop gives up on workers that have not exited */
	bool stopping;
	bool workers_told;             /* request dispatch stops the workers once the reactors are gone */
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
	uint32_t lane = UINT32_MAX;
	pid_t pid;

	/* Request dispatch: a worker and the one it replaces run side by side, each with its own
	 * rings (a lane), since a ring has one writer. */
	if (srv->opts.dispatch_request && id < sv->nworkers) {
		for (uint32_t l = 0; l < sv->nlanes && lane == UINT32_MAX; l++) {
			lane = sv->lanes[l] == 0 ? l : lane;
		}
		if (lane == UINT32_MAX) {
			h2srv_log(H2SRV_LOG_ERROR, "cannot start worker %u: %u predecessors are still finishing", id,
				H2SRV_LANES_PER_WORKER - 1);
			return -1;
		}
	}
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
		if (pid > 0 && lane != UINT32_MAX) {
			sv->lanes[lane] = pid;
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
	if (!srv->opts.dispatch_request) {
		srv->role = H2SRV_ROLE_SERVE;
		h2srv_balance_join(&srv->balance, id);
	} else if (id < sv->nworkers) {
		srv->role = H2SRV_ROLE_WORKER;
		srv->lane = lane;
#ifdef SCHED_BATCH
		/* A worker woken for a request does not preempt a reactor sharing its CPU: the reactor
		 * finishes its loop turn (reads every connection, hands over every request, sends every
		 * answer) and the worker then takes them all in one run, instead of the two taking turns
		 * every few requests. The tick still shares the CPU fairly. */
		sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0});
#endif
	} else {
		srv->role = H2SRV_ROLE_REACTOR;
		h2srv_balance_join(&srv->balance, id - sv->nworkers);
	}
	h2srv_server_serve(srv);
	if (srv->role == H2SRV_ROLE_REACTOR) {
		/* A reactor runs no user code, at its end neither: no shutdown functions, no
		 * destructors of what the script made before run(). */
		php_free_shutdown_functions();
		zend_objects_store_mark_destructed(&EG(objects_store));
	}
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

static void log_death(supervisor_t *sv, uint32_t id, pid_t pid, int status)
{
	const char *what = id < sv->nworkers ? "worker" : "reactor";

	id = id < sv->nworkers ? id : id - sv->nworkers;
	if (WIFSIGNALED(status)) {
		h2srv_log(H2SRV_LOG_ERROR, "%s %u (pid %d) was killed by signal %d; restarting it",
			what, id, (int)pid, WTERMSIG(status));
	} else {
		h2srv_log(H2SRV_LOG_ERROR, "%s %u (pid %d) exited with status %d%s; restarting it", what, id, (int)pid,
			WEXITSTATUS(status), WEXITSTATUS(status) == 255 ? " (a PHP fatal error?)" : "");
	}
}

/* Request dispatch: the worker |pid| is gone; the reactors answer what it held. */
static void bury(supervisor_t *sv, pid_t pid)
{
	h2srv_region_t *g = &sv->srv->region;
	uint32_t id = 0;

	while (id < sv->nlanes && sv->lanes[id] != pid) {
		id++;
	}
	if (id == sv->nlanes) {
		return;
	}
	sv->lanes[id] = 0;
	__atomic_add_fetch(&g->worker_wake[id].life, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(g->deaths, 1, __ATOMIC_SEQ_CST);
	for (uint32_t r = 0; r < g->reactors; r++) {
		h2srv_wake(&g->reactor_wake[r]);
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
		bury(sv, pid);
		for (uint32_t i = 0; i < sv->nretiring; i++) {
			if (sv->retiring[i] == pid) {
				sv->retiring[i] = sv->retiring[--sv->nretiring];
				found = true;
				break;
			}
		}
		for (uint32_t k = 0; k < sv->nhandovers; k++) {
			if (sv->handovers[k].old == pid) {
				sv->handovers[k] = sv->handovers[--sv->nhandovers]; /* gone before its successor was ready */
				break;
			}
		}
		for (uint32_t i = 0; !found && i < sv->nslots; i++) {
			worker_slot_t *w = &sv->slots[i];
			if (w->pid != pid) {
				continue;
			}
			found = true;
			w->pid = 0;
			if (!sv->srv->opts.dispatch_request) {
				h2srv_balance_vacate(&sv->srv->balance, i);
			} else if (i >= sv->nworkers) {
				h2srv_balance_vacate(&sv->srv->balance, i - sv->nworkers);
			}
			if (sv->stopping) {
				break;
			}
			log_death(sv, i, pid, status);
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
	if (sv->srv->is_worker) {
		return; /* the new worker, its life over: back out to run() without touching a thing */
	}
	if (sv->nretiring < 4 * sv->srv->opts.workers) {
		sv->retiring[sv->nretiring++] = old;
	}
	if (sv->nlanes && sv->slots[i].pid > 0 && sv->nhandovers < sv->nlanes) {
		/* It holds no connections: it serves on until the new one has booted (retire_ready). */
		for (uint32_t l = 0; l < sv->nlanes; l++) {
			if (sv->lanes[l] == sv->slots[i].pid) {
				sv->handovers[sv->nhandovers++] = (handover_t){old, sv->slots[i].pid, l, now_ms() + H2SRV_READY_WAIT_MS};
				return;
			}
		}
	}
	kill(old, SIGTERM);
}

/* Retires the replaced workers whose successors are ready (their request loop runs: they wrote
 * their pid into their lane's wake block), gone, or overdue. */
static void retire_ready(supervisor_t *sv)
{
	uint64_t now = now_ms();

	for (uint32_t k = 0; k < sv->nhandovers;) {
		handover_t *h = &sv->handovers[k];
		bool ready = __atomic_load_n(&sv->srv->region.worker_wake[h->lane].pid, __ATOMIC_ACQUIRE) == (int32_t)h->successor;
		if (ready || sv->lanes[h->lane] != h->successor || now >= h->deadline || sv->stopping) {
			kill(h->old, SIGTERM);
			*h = sv->handovers[--sv->nhandovers];
			continue;
		}
		k++;
	}
}

/* New certificate first; then each worker is replaced by a fresh one (which inherits it). In
 * request dispatch the reactors load the certificate themselves, in place, and keep their
 * connections; only the workers (which hold none) are replaced. */
static void reload(supervisor_t *sv)
{
	if (h2srv_server_reload_tls(sv->srv) != 0) {
		return;
	}
	for (uint32_t i = sv->nworkers; i < sv->nslots; i++) {
		if (sv->slots[i].pid > 0) {
			kill(sv->slots[i].pid, SIGHUP);
		}
	}
	for (uint32_t i = 0; i < sv->nworkers && !sv->srv->is_worker; i++) {
		replace(sv, i);
	}
}

/* A worker asked to be replaced: the one whose pid sent the signal, if it is still current. */
static void recycle(supervisor_t *sv, pid_t pid)
{
	for (uint32_t i = 0; i < sv->nworkers; i++) {
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

/* The reactors first: the workers serve what the reactors still hold until they are gone. */
static void signal_stop(supervisor_t *sv, int sig)
{
	bool reactors = false;

	for (uint32_t i = sv->nworkers; i < sv->nslots; i++) {
		if (sv->slots[i].pid > 0) {
			kill(sv->slots[i].pid, sig);
			reactors = true;
		}
	}
	if (reactors && sig != SIGKILL) {
		return;
	}
	sv->workers_told = true;
	for (uint32_t i = 0; i < sv->nworkers; i++) {
		if (sv->slots[i].pid > 0) {
			kill(sv->slots[i].pid, sig);
		}
	}
	for (uint32_t i = 0; i < sv->nretiring; i++) {
		kill(sv->retiring[i], sig);
	}
}

static void signal_all(supervisor_t *sv, int sig)
{
	for (uint32_t i = 0; i < sv->nslots; i++) {
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

	for (uint32_t i = 0; i < sv->nslots; i++) {
		n += sv->slots[i].pid > 0;
	}
	return n;
}

static uint32_t reactors_alive(supervisor_t *sv)
{
	uint32_t n = 0;

	for (uint32_t i = sv->nworkers; i < sv->nslots; i++) {
		n += sv->slots[i].pid > 0;
	}
	return n;
}

zend_result h2srv_workers_run(h2srv_server_t *srv)
{
	supervisor_t sv = { .srv = srv };
	sigset_t mask;
	const struct timespec tick = { 0, H2SRV_SUPERVISE_TICK_MS * 1000000L };
	uint32_t accepting;

	sv.nworkers = srv->opts.workers;
	sv.nslots = srv->opts.workers + (srv->opts.dispatch_request ? srv->opts.reactors : 0);
	accepting = srv->opts.dispatch_request ? srv->opts.reactors : srv->opts.workers;
	sv.nlanes = srv->opts.dispatch_request ? H2SRV_LANES_PER_WORKER * srv->opts.workers : 0;
	if (sv.nlanes && h2srv_region_init(&srv->region, srv->opts.reactors, sv.nlanes) != 0) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "cannot set up request dispatch: no shared memory (%s)",
			strerror(errno));
		return FAILURE;
	}
	sv.slots = ecalloc(sv.nslots, sizeof(*sv.slots));
	sv.lanes = sv.nlanes ? ecalloc(sv.nlanes, sizeof(*sv.lanes)) : NULL;
	sv.handovers = sv.nlanes ? ecalloc(sv.nlanes, sizeof(*sv.handovers)) : NULL;
	if (h2srv_stats_table_share(&srv->stats_table, sv.nslots, sv.nworkers) != 0) {
		h2srv_log(H2SRV_LOG_WARN, "no shared memory for the counters (%s): stats() shows each worker's own",
			strerror(errno));
	}
	if (h2srv_balance_init(&srv->balance, accepting) != 0) {
		h2srv_log(H2SRV_LOG_WARN, "no shared memory for the workers' loads (%s): each takes the connections it wakes for",
			strerror(errno));
	}
	sv.retiring = ecalloc(4 * sv.nslots, sizeof(*sv.retiring));
	/* Signals stay pending until sigtimedwait takes them, so none is lost between checks. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1); /* a worker asks to be replaced */
	sigprocmask(SIG_BLOCK, &mask, &sv.old_mask);

	for (uint32_t i = 0; i < sv.nslots; i++) {
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
			signal_stop(&sv, SIGTERM);
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
		retire_ready(&sv);
		if (sv.stopping && !sv.workers_told && reactors_alive(&sv) == 0) {
			signal_stop(&sv, SIGTERM);
		}
		h2srv_certs_rotate_tickets(&srv->certs); /* the workers read the keys it writes */
		now = now_ms();
		if (sv.stopping && sv.kill_at && now >= sv.kill_at) {
			h2srv_log(H2SRV_LOG_WARN, "%u worker(s) did not stop in time; killing them", alive(&sv));
			signal_all(&sv, SIGKILL);
			sv.kill_at = 0;
		}
		for (uint32_t i = 0; !sv.stopping && i < sv.nslots; i++) {
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
	if (sv.lanes) {
		efree(sv.lanes);
		efree(sv.handovers);
	}
	h2srv_server_close_listeners(srv);
	h2srv_balance_free(&srv->balance);
	h2srv_region_free(&srv->region);
	h2srv_stats_table_free(&srv->stats_table);
	srv->t.stopping = true;
	uv_run(&srv->t.loop, UV_RUN_NOWAIT);
	return SUCCESS;

worker:
	/* spawn() returned in the child after its loop ended: leave with the unwinding exit. */
	efree(sv.slots);
	efree(sv.retiring);
	if (sv.lanes) {
		efree(sv.lanes);
		efree(sv.handovers);
	}
	return SUCCESS;
}

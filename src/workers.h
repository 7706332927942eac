#ifndef H2SRV_WORKERS_H
#define H2SRV_WORKERS_H

#include "server.h"

#define H2SRV_MAX_WORKERS 256
#define H2SRV_MAX_REACTORS 64

/* Supervises srv->opts.workers forked workers sharing the bound listener until a stop: restarts
 * a worker that dies (with backoff), reloads the certificate and replaces the workers one by one
 * on SIGHUP, and turns SIGINT/SIGTERM into a graceful stop of every worker. In a worker the call
 * ends the script (as exit() would) once its loop is done; in the supervisor it returns. */
zend_result h2srv_workers_run(h2srv_server_t *srv);

/* In a worker: asks the supervisor to replace it (max_requests, max_worker_memory). The
 * supervisor starts its successor, then stops it gracefully, as for a reload. */
void h2srv_workers_retire(h2srv_server_t *srv);

#endif

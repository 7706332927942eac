#ifndef H2SRV_SHM_H
#define H2SRV_SHM_H

#include <stddef.h>

/* Memory every process of a server shares: mapped by the supervisor before it forks, zeroed;
 * returns NULL when it cannot be had (or on a platform without fork()). */
void *h2srv_shm_map(size_t len);

/* Unmaps what h2srv_shm_map() mapped (each process its own mapping). */
void h2srv_shm_unmap(void *p, size_t len);

#endif

#include "balance.h"
#include "shm.h"

/* A handler that runs weighs more than any number of idle connections: it may block. */
#define H2SRV_BUSY_WEIGHT (1u << 20)
/* What a slot reads as while no worker serves from it. */
#define H2SRV_LOAD_ABSENT (1u << 30)

static uint32_t load_of(const h2srv_load_t *l)
{
	return __atomic_load_n(&l->conns, __ATOMIC_RELAXED)
		+ __atomic_load_n(&l->busy, __ATOMIC_RELAXED) * H2SRV_BUSY_WEIGHT;
}

int h2srv_balance_init(h2srv_balance_t *b, uint32_t workers)
{
	b->publishing = false;
	b->loads = h2srv_shm_map(workers * sizeof(h2srv_load_t));
	b->n = b->loads ? workers : 0;
	for (uint32_t i = 0; i < b->n; i++) {
		h2srv_balance_vacate(b, i);
	}
	return b->loads ? 0 : -1;
}

void h2srv_balance_free(h2srv_balance_t *b)
{
	h2srv_shm_unmap(b->loads, b->n * sizeof(h2srv_load_t));
	b->loads = NULL;
	b->n = 0;
	b->publishing = false;
}

void h2srv_balance_join(h2srv_balance_t *b, uint32_t id)
{
	if (!b->loads || id >= b->n) {
		return;
	}
	b->self = id;
	b->publishing = true;
	__atomic_store_n(&b->loads[id].busy, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&b->loads[id].conns, 0, __ATOMIC_RELAXED);
}

void h2srv_balance_leave(h2srv_balance_t *b)
{
	/* Only stop writing: on a reload the successor already owns the slot (the supervisor marks
	 * a dead worker's slot itself). */
	b->publishing = false;
}

void h2srv_balance_vacate(h2srv_balance_t *b, uint32_t id)
{
	if (b->loads && id < b->n) {
		__atomic_store_n(&b->loads[id].busy, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->loads[id].conns, H2SRV_LOAD_ABSENT, __ATOMIC_RELAXED);
	}
}

bool h2srv_balance_my_turn(const h2srv_balance_t *b)
{
	uint32_t mine;

	if (!b->publishing) {
		return true;
	}
	mine = load_of(&b->loads[b->self]);
	for (uint32_t i = 0; i < b->n; i++) {
		if (i != b->self && load_of(&b->loads[i]) < mine) {
			return false;
		}
	}
	return true;
}

#include "shm.h"
#ifndef _WIN32
#include <sys/mman.h>
#endif

void *h2srv_shm_map(size_t len)
{
#ifndef _WIN32
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return m == MAP_FAILED ? NULL : m;
#else
	(void)len;
	return NULL;
#endif
}

void h2srv_shm_unmap(void *p, size_t len)
{
#ifndef _WIN32
	if (p) {
		munmap(p, len);
	}
#else
	(void)p; (void)len;
#endif
}

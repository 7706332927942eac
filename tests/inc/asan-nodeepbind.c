/*
 * Preloaded by `run.sh asan` ahead of the sanitizer runtimes: Debian's php dlopens extensions
 * with RTLD_DEEPBIND, which AddressSanitizer refuses, so this clears the flag and passes on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int mode)
{
	static void *(*next)(const char *, int);

	if (!next) {
		next = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	}
	return next(file, mode & ~RTLD_DEEPBIND);
}

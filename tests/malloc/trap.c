/* Linked into a test build of runlet with -Wl,--wrap for every allocator
 * entry point: any call, from runlet or from the C library on its behalf,
 * ends the process with status 99 and a line on stderr, so that a command
 * that allocates cannot pass. */
#include <stddef.h>
#include <unistd.h>

static void trapped(const char *what)
{
	static const char head[] = "runlet: allocation trapped: ";

	(void)!write(2, head, sizeof(head) - 1);
	while (*what)
		(void)!write(2, what++, 1);
	(void)!write(2, "\n", 1);
	_exit(99);
}

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);

void *__wrap_malloc(size_t n)
{
	(void)n;
	trapped("malloc");
	return NULL;
}

void *__wrap_calloc(size_t n, size_t size)
{
	(void)n;
	(void)size;
	trapped("calloc");
	return NULL;
}

void *__wrap_realloc(void *p, size_t n)
{
	(void)p;
	(void)n;
	trapped("realloc");
	return NULL;
}

void *__wrap_aligned_alloc(size_t align, size_t n)
{
	(void)align;
	(void)n;
	trapped("aligned_alloc");
	return NULL;
}

int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
	(void)p;
	(void)align;
	(void)n;
	trapped("posix_memalign");
	return 12;
}

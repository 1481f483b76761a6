/* SPDX-License-Identifier: MIT */
/*
 * malloc for uring-sh's static musl build (replaces musl's, which musl
 * allows when malloc, free, calloc, realloc and aligned_alloc all are).
 *
 * Why: uring-sh lives for one recipe line, and a page fault costs ~15 us
 * here. musl's allocator spreads a line's first few allocations over a brk
 * page for its metadata and one mapping per size class: 3 to 5 faults. This
 * one carves every block from one heap in .lbss, next to the parser's
 * arena, so that a line's allocations share a page or two.
 *
 * Blocks are powers of two from 16 bytes to 64 KiB behind a 16-byte header;
 * a freed block goes on its size's list (a shell loop allocates and frees
 * the same sizes over and over). Bigger blocks, and any once the heap is
 * used up, are mappings of their own. Single-threaded, as uring-sh is; its
 * vfork children never allocate.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define MIN_SHIFT   4
#define NCLASS      13     /* 16 B .. 64 KiB */
#define CLS_MAP     0xfffe /* a mapping of its own */
#define CLS_ALIGNED 0xffff /* an aligned pointer inside another block */

struct hdr {
	uint32_t cls;
	uint32_t back; /* CLS_ALIGNED: bytes back to the block it lies in */
	uint64_t size; /* CLS_MAP: the mapping's length */
};

/*
 * Page-aligned: a line's first blocks then share one page whatever the
 * size of the .bss before it (a heap that began 0xa0 bytes before a page
 * boundary cost every line a fault more).
 */
static char heap[4 << 20] __attribute__((section(".lbss"), aligned(4096)));
static size_t heap_used;
static struct hdr *free_list[NCLASS];

static int class_of(size_t n)
{
	int c = 0;

	while (c < NCLASS && ((size_t)1 << (c + MIN_SHIFT)) < n)
		c++;
	return c;
}

static void *map_block(size_t n)
{
	size_t len = (n + sizeof(struct hdr) + 4095) & ~(size_t)4095;

	if (len < n) {
		errno = ENOMEM;
		return NULL;
	}
	struct hdr *h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return NULL;
	h->cls = CLS_MAP;
	h->size = len;
	return h + 1;
}

void *malloc(size_t n)
{
	int c = class_of(n);

	if (c == NCLASS)
		return map_block(n);
	struct hdr *h = free_list[c];
	if (h) {
		free_list[c] = *(struct hdr **)(h + 1);
		return h + 1;
	}
	size_t need = sizeof(struct hdr) + ((size_t)1 << (c + MIN_SHIFT));
	if (need > sizeof heap - heap_used)
		return map_block(n);
	h = (struct hdr *)(heap + heap_used);
	heap_used += need;
	h->cls = (uint32_t)c;
	h->back = 0;
	return h + 1;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	if (h->cls == CLS_ALIGNED) {
		free((char *)p - h->back);
		return;
	}
	if (h->cls == CLS_MAP) {
		munmap(h, h->size);
		return;
	}
	*(struct hdr **)p = free_list[h->cls];
	free_list[h->cls] = h;
}

static size_t usable(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if (h->cls == CLS_ALIGNED)
		return usable((char *)p - h->back) - h->back;
	if (h->cls == CLS_MAP)
		return h->size - sizeof *h;
	return (size_t)1 << (h->cls + MIN_SHIFT);
}

size_t malloc_usable_size(void *p)
{
	return p ? usable(p) : 0;
}

void *calloc(size_t m, size_t n)
{
	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(m * n);
	if (p)
		memset(p, 0, m * n);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t have = usable(p);
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}

void *aligned_alloc(size_t align, size_t n)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	if (align <= sizeof(struct hdr))
		return malloc(n);
	if (n > SIZE_MAX - align) {
		errno = ENOMEM;
		return NULL;
	}
	char *raw = malloc(n + align);
	if (!raw)
		return NULL;
	char *p = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	if (p != raw) {
		/* p - raw >= 16: the header fits in the block, before p */
		struct hdr *h = (struct hdr *)p - 1;
		h->cls = CLS_ALIGNED;
		h->back = (uint32_t)(p - raw);
	}
	return p;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = aligned_alloc(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}

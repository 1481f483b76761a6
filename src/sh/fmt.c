/* SPDX-License-Identifier: MIT */
/* Message formatting without stdio (uring-sh stays small to start fast). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->n >= o->cap)
		return;
	if (n > o->cap - o->n)
		n = o->cap - o->n;
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void out_quoted(struct out *o, const char *s)
{
	do {
		size_t run = strcspn(s, "'");

		out_str(o, "'");
		out_mem(o, s, run);
		out_str(o, "'");
		s += run;
		if (!(run = strspn(s, "'")))
			break;
		out_str(o, "\"");
		out_mem(o, s, run);
		out_str(o, "\"");
		s += run;
	} while (*s);
}

char *fmt_udec(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void out_uint(struct out *o, unsigned long v)
{
	char d[24], *s = fmt_udec(d + sizeof d, v);

	out_mem(o, s, (size_t)(d + sizeof d - s));
}

/* dash's "arg0: LINENO: " */
void out_prefix(struct out *o, const char *arg0, unsigned lineno)
{
	out_str(o, arg0);
	out_str(o, ": ");
	out_uint(o, lineno);
	out_str(o, ": ");
}

void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

/*
 * strerror() in glibc's words, as dash (built against glibc) prints them:
 * musl's differ for these (EMFILE "No file descriptors available" where
 * dash says "Too many open files", ENOMEM, EIO, ELOOP ...)
 */
const char *ush_strerror(int err)
{
	switch (err) {
	case EIO:
		return "Input/output error";
	case ECHILD:
		return "No child processes";
	case ENOMEM:
		return "Cannot allocate memory";
	case EBUSY:
		return "Device or resource busy";
	case EXDEV:
		return "Invalid cross-device link";
	case EMFILE:
		return "Too many open files";
	case ENOTTY:
		return "Inappropriate ioctl for device";
	case ESPIPE:
		return "Illegal seek";
	case EDOM:
		return "Numerical argument out of domain";
	case ERANGE:
		return "Numerical result out of range";
	case EDEADLOCK:
		return "Resource deadlock avoided";
	case ENAMETOOLONG:
		return "File name too long";
	case ELOOP:
		return "Too many levels of symbolic links";
	case ETIME:
		return "Timer expired";
	case EOVERFLOW:
		return "Value too large for defined data type";
	case EILSEQ:
		return "Invalid or incomplete multibyte or wide character";
	case ENOTSOCK:
		return "Socket operation on non-socket";
	case EMSGSIZE:
		return "Message too long";
	case ENOTSUP:
		return "Operation not supported";
	case EADDRINUSE:
		return "Address already in use";
	case EADDRNOTAVAIL:
		return "Cannot assign requested address";
	case ENETUNREACH:
		return "Network is unreachable";
	case ENETRESET:
		return "Network dropped connection on reset";
	case ECONNABORTED:
		return "Software caused connection abort";
	case EISCONN:
		return "Transport endpoint is already connected";
	case ENOTCONN:
		return "Transport endpoint is not connected";
	case ESHUTDOWN:
		return "Cannot send after transport endpoint shutdown";
	case ETIMEDOUT:
		return "Connection timed out";
	case EHOSTUNREACH:
		return "No route to host";
	case EINPROGRESS:
		return "Operation now in progress";
	case EDQUOT:
		return "Disk quota exceeded";
	case EOWNERDEAD:
		return "Owner died";
	}
	return strerror(err);
}

/* dash's errmsg(): the words for errno in an exec, open or create */
const char *ush_errmsg(int err, int ctx)
{
	if (err != ENOENT && err != ENOTDIR)
		return ush_strerror(err);
	return ctx == USH_E_OPEN    ? "No such file"
	       : ctx == USH_E_CREAT ? "Directory nonexistent"
				    : "not found";
}

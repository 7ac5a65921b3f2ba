/* The one error convention: a fallible function returns 0 or -1 and fills
 * the caller's struct err once, at the failure. */
#ifndef BRIG_ERR_H
#define BRIG_ERR_H

#include <stdarg.h>

struct err {
	int errnum;     /* errno captured at the failure, 0 when none */
	int line;       /* config line the failure came from, 0: none */
	char msg[200];  /* "context: context: what failed" without strerror */
};

/* Fills *e and returns -1. */
int err_set(struct err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* err_set with errno, read before anything else runs. */
int err_sys(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, with the config line the failure came from (0: none): the
 * line is set where the error is made, never patched in later. */
int err_set_at(struct err *e, int line, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* err_set_at's body, for a caller's own variadic wrapper. */
int err_vset(struct err *e, int line, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Prefixes "CONTEXT: " to e->msg (truncating the tail) and returns -1. */
int err_wrap(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "msg: strerror(errnum)" into buf. */
const char *err_str(const struct err *e, char *buf, unsigned len);

/* An impossible state: the operation fails, the process goes on. */
#define BUG(e) err_set((e), 0, "internal error at %s:%d", __FILE__, __LINE__)

#endif

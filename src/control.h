/* The control socket's protocol and client. Server side: supervisor.h.
 *
 * Request: words, each ending in a NUL byte, then one empty word (so the
 * request ends in two NULs); at most CONTROL_MAX_REQUEST bytes and 64 words.
 * Reply: frames of a type byte, a 4-byte little-endian length and the
 * payload: 'o' text for stdout, 'e' text for stderr, 'x' the exit status
 * (one byte, last frame), 'j' for exec: "PID\0FILE\0" of the running jail. */
#ifndef BRIG_CONTROL_H
#define BRIG_CONTROL_H

#include <stddef.h>

#define CONTROL_MAX_WORDS 64
#define CONTROL_FRAME_HDR 5

/* Splits a complete request into words; returns the count, 0 while more
 * bytes are needed, -1 for a malformed or oversized request. */
int control_parse(const char *buf, size_t len, char **words, int max);

/* `brig CMD ARG...` for the client commands: argv[0] is the command. */
int control_client_main(int argc, char **argv);

/* Sends one request to the supervisor at path and collects its stdout text
 * in out (NUL-terminated, at most cap - 1 bytes); stderr text goes to
 * stderr. Returns the reply's exit status, 1 when it cannot be had. */
int control_query(const char *path, char **w, int n, char *out, size_t cap);

#endif

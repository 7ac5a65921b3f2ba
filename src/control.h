/* The control socket's protocol, shared by the server (ctlserver.c) and the
 * client (ctlclient.c). Pure: no I/O.
 *
 * Request: words, each ending in a NUL byte, then one empty word (so the
 * request ends in two NULs); at most CONTROL_MAX_REQUEST bytes and 64 words.
 * Reply: frames of a type byte, a 4-byte little-endian length and the
 * payload: 'o' text for stdout, 'e' text for stderr, 'x' the exit status
 * (one byte, last frame), 'j' for exec: "PID\0FILE\0CGROUP_ROOT\0" of the
 * running jail. */
#ifndef BRIG_CONTROL_H
#define BRIG_CONTROL_H

#include <stddef.h>

#define CONTROL_MAX_WORDS 64
#define CONTROL_MAX_REQUEST 4096
#define CONTROL_FRAME_HDR 5

/* Splits a complete request into words; returns the count, 0 while more
 * bytes are needed, -1 for a malformed or oversized request. */
int control_parse(const char *buf, size_t len, char **words, int max);

/* Writes a frame header for len bytes of type into hdr. */
void control_frame_hdr(unsigned char *hdr, char type, size_t len);

/* The payload length a frame header announces. */
size_t control_frame_len(const unsigned char *hdr);

#endif

/* Runs in: the supervisor (requests from untrusted clients) and the
 * client processes. The protocol's codec; see control.h. */
#include "control.h"

#include <string.h>

int control_parse(const char *buf, size_t len, char **words, int max)
{
	size_t pos = 0;
	int n = 0;

	while (pos < len) {
		const char *nul = memchr(buf + pos, '\0', len - pos);

		if (!nul)
			return len >= CONTROL_MAX_REQUEST ? -1 : 0;
		if (nul == buf + pos)
			return pos + 1 == len ? n : -1;  /* the empty word ends it */
		if (n >= max)
			return -1;
		words[n++] = (char *)buf + pos;
		pos = (size_t)(nul - buf) + 1;
	}
	return len >= CONTROL_MAX_REQUEST ? -1 : 0;
}

void control_frame_hdr(unsigned char *h, char type, size_t len)
{
	h[0] = (unsigned char)type;
	h[1] = (unsigned char)len;
	h[2] = (unsigned char)(len >> 8);
	h[3] = (unsigned char)(len >> 16);
	h[4] = (unsigned char)(len >> 24);
}

size_t control_frame_len(const unsigned char *h)
{
	return h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
}

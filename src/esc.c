/* Runs in: the supervisor (status, the console echo) and the clients
 * (`brig logs` on a terminal). Pure. */
#include "esc.h"

#include <string.h>

/* The length of the valid UTF-8 sequence at p (1 to 4), 0 when p holds no
 * valid one, -1 when the n bytes left are a valid but cut beginning. */
static int utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	int len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	/* The second byte's range rules out overlong forms, surrogates and
	 * code points past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return len;
}

static const char hex[] = "0123456789abcdef";

size_t esc(char *out, size_t cap, const char *in, size_t len, enum esc_mode m, bool final,
	   size_t *used)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0, need;
	int l;

	while (i < len) {
		unsigned char c = p[i];
		unsigned v = c;
		bool bad, quote = m == ESC_JSON && (c == '"' || c == '\\');

		l = utf8_len(p + i, len - i);
		if (l < 0 && !final)
			break;
		if (l == 2 && c == 0xc2 && p[i + 1] < 0xa0)
			v = p[i + 1];  /* a C1 control: escaped as its code point */
		bad = l <= 0 || v < 0x20 || v == 0x7f || (v >= 0x80 && v < 0xa0);
		if ((c == '\t' && m != ESC_JSON) || (c == '\n' && m == ESC_TEXT))
			bad = false;
		need = quote ? 2 : bad ? (m == ESC_JSON ? 6 : 4) : (size_t)l;
		if (o + need >= cap)
			break;
		if (quote) {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (bad) {
			memcpy(out + o, m == ESC_JSON ? "\\u00" : "\\x", need - 2);
			o += need - 2;
			out[o++] = hex[v >> 4];
			out[o++] = hex[v & 15];
		} else {
			memcpy(out + o, p + i, need);
			o += need;
		}
		i += l == 2 && v != c ? 2 : l > 0 ? (size_t)l : 1;
	}
	if (cap)
		out[o] = '\0';
	*used = i;
	return o;
}

const char *esc_str(char *out, size_t cap, const char *s, enum esc_mode m)
{
	size_t used;

	esc(out, cap, s, strlen(s), m, true, &used);
	return out;
}

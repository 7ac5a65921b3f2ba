/* The pure parts of [net]: the address syntax (value_ip) and the host end
 * of a jail's veth pair (net_host_ifname). */
#include "net.h"
#include "value.h"

#include "tap.h"

#include <string.h>

static int ip(const char *s, unsigned char bin[16], int *prefix)
{
	const char *end;

	return value_ip(s, bin, prefix, &end);
}

static void t_ip(void)
{
	static const unsigned char v6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 0, 0x12, 0x34 };
	static const char *const bad[] = { "10.0.0", "10.0.0.256", "10.0.0.1/33", "1.2.3.4.5",
					   "fd00:::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "fd00::1/129",
					   "12345::1", "::1:", "", "a.b.c.d", "10.0.0.1/", "1:2" };
	unsigned char b[16];
	int p;

	ok(ip("10.1.2.3/24", b, &p) == 4 && p == 24 && !memcmp(b, "\x0a\x01\x02\x03", 4),
	   "IPv4 with a prefix");
	ok(ip("10.1.2.3", b, &p) == 4 && p == -1, "IPv4 without a prefix");
	ok(ip("fd00::1234/64", b, &p) == 6 && p == 64 && !memcmp(b, v6, 16), "IPv6 with ::");
	ok(ip("::", b, &p) == 6 && p == -1 && !memcmp(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16),
	   "IPv6 :: alone");
	ok(ip("1:2:3:4:5:6:7:8", b, &p) == 6 && b[15] == 8 && b[1] == 1, "IPv6 in full");
	ok(ip("FE80::A", b, &p) == 6 && b[0] == 0xfe && b[15] == 10, "IPv6 upper case");
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(ip(bad[i], b, &p) < 0, "'%s' is refused", bad[i]);
}

static void t_ifname(void)
{
	char a[16], b[16];

	net_host_ifname("web", a);
	ok(!strcmp(a, "vb-web"), "a short name: vb-NAME (%s)", a);
	net_host_ifname("abcdefghijkl", a);
	ok(!strcmp(a, "vb-abcdefghijkl"), "12 characters still fit (%s)", a);
	net_host_ifname("abcdefghijklm", a);
	ok(strlen(a) == 15 && !strncmp(a, "vb-abcdef.", 10), "13: hashed, 15 characters (%s)", a);
	net_host_ifname("abcdefghijklmn", b);
	ok(strlen(b) == 15 && strcmp(a, b), "two long names with one prefix differ (%s)", b);
	net_host_ifname("abcdefghijklm", b);
	ok(!strcmp(a, b), "the same name, the same host end");
}

int main(void)
{
	t_ip();
	t_ifname();
	return done();
}

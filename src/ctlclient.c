/* Runs in: the client processes (`brig status`, `brig stop`, `poweroff`
 * ...), never in the supervisor. */
#include "ctlclient.h"

#include "control.h"
#include "enter.h"
#include "esc.h"
#include "fdio.h"
#include "stats.h"
#include "usage.h"
#include "value.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>


static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "brig: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "brig: cannot reach the supervisor at %s: %m\n", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Sends words as one request. */
static int send_request(int fd, char **w, int n)
{
	char buf[CONTROL_MAX_REQUEST];
	size_t len = 0, l;
	int i;

	for (i = 0; i < n; i++) {
		l = strlen(w[i]) + 1;
		if (l == 1 || len + l + 1 > sizeof buf || i >= CONTROL_MAX_WORDS) {
			fprintf(stderr, "brig: request too long or empty word\n");
			return -1;
		}
		memcpy(buf + len, w[i], l);
		len += l;
	}
	buf[len++] = '\0';
	if (fdio_write_all(fd, buf, len) < 0) {
		fprintf(stderr, "brig: send: %m\n");
		return -1;
	}
	return 0;
}

/* Where 'o' text goes: stdout, or a caller's buffer (control_query). */
struct sink {
	char *buf;      /* NULL: stdout */
	size_t cap, len;
	bool escape;    /* stdout through esc() (`brig logs` on a terminal) */
};

/* Writes a frame to a terminal escaped (esc.h). A UTF-8 character cut by
 * the end of a frame (logs are sent in pieces of 4 KiB) shows escaped. */
static void write_escaped(const char *in, size_t len)
{
	char out[4096];
	size_t used = 1;

	for (; len && used; in += used, len -= used)
		(void)fdio_write_all(1, out, esc(out, sizeof out, in, len, ESC_TEXT, true, &used));
}

/* Reads reply frames to the end; returns the exit status. An exec reply
 * hands over to jail_exec() with the command words. */
static int read_reply(int fd, char **cmd, bool send_failed, struct sink *out)
{
	unsigned char h[CONTROL_FRAME_HDR];
	char buf[65536];
	ssize_t n;
	size_t len;

	for (;;) {
		n = fdio_read_all(fd, h, sizeof h);
		if (n != (ssize_t)sizeof h) {
			if (!send_failed)
				fprintf(stderr, "brig: the supervisor closed the connection\n");
			return 1;
		}
		len = control_frame_len(h);
		if (len >= sizeof buf || fdio_read_all(fd, buf, len) != (ssize_t)len) {
			fprintf(stderr, "brig: malformed reply\n");
			return 1;
		}
		buf[len] = '\0';
		if (h[0] == 'o' && out && out->buf && out->len + len < out->cap) {
			memcpy(out->buf + out->len, buf, len);
			out->buf[out->len += len] = '\0';
		} else if (h[0] == 'o' && out && out->buf) {
			fprintf(stderr, "brig: reply larger than %zu bytes\n", out->cap);
			return 1;
		} else if (h[0] == 'o' && out && out->escape)
			write_escaped(buf, len);
		else if (h[0] == 'o')
			(void)fdio_write_all(1, buf, len);
		else if (h[0] == 'e')
			(void)fdio_write_all(2, buf, len);
		else if (h[0] == 'x')
			return len ? (unsigned char)buf[0] : 1;
		else if (h[0] == 'j' && cmd) {
			char *file = memchr(buf, '\0', len);
			char *cgroot = file ? memchr(file + 1, '\0', len - (size_t)(file + 1 - buf)) : NULL;

			if (!cgroot)
				return 1;
			return jail_exec((pid_t)atoi(buf), file + 1, cgroot + 1, cmd);
		}
	}
}

int control_query(const char *path, char **w, int n, char *out, size_t cap)
{
	struct sink sk = { .buf = out, .cap = cap };
	int fd, rc;

	out[0] = '\0';
	if ((fd = connect_to(path)) < 0)
		return 1;
	rc = send_request(fd, w, n);
	rc = read_reply(fd, NULL, rc < 0, &sk);
	close(fd);
	return rc;
}

int control_client_main(int argc, char **argv)
{
	struct sink tty = { .buf = NULL };
	int k;
	const char *path = getenv("BRIG_SOCKET");
	char **cmd = NULL;
	char *w[CONTROL_MAX_WORDS];
	int n = 0, i, fd, rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc && !cmd) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(brig_usage, stdout);
			return 0;
		} else if (n == 2 && !strcmp(w[0], "exec")) {
			cmd = argv + i + !strcmp(argv[i], "--");
			break;
		} else if (n < CONTROL_MAX_WORDS) {
			w[n++] = argv[i];
		}
	}
	if (!path || !*path)
		path = "/run/brig/control.sock";
	if (n == 0 || (!strcmp(w[0], "exec") && (!cmd || !*cmd))) {
		fputs(brig_usage, stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(w[0], "stats"))  /* a client of status: it reads the cgroups itself */
		return stats_main(path, n - 1, w + 1);
	/* `logs --raw` is the client's alone: the server never escapes. */
	for (i = k = 0; i < n; i++)
		if (strcmp(w[0], "logs") || strcmp(w[i], "--raw"))
			w[k++] = w[i];
	tty.escape = !strcmp(w[0], "logs") && k == n && isatty(1);
	n = k;
	if ((fd = connect_to(path)) < 0)
		return 1;
	/* A refused client may find the socket closed before its request went
	 * out: the reply, already sent, still says why. */
	rc = send_request(fd, w, n);
	rc = read_reply(fd, cmd, rc < 0, &tty);
	close(fd);
	return rc;
}

/* PID 1 runs this very program (or there is no /proc to tell). The
 * busybox signals mean something else to other inits: to systemd, TERM
 * is "re-execute" and USR1 "reconnect to D-Bus". */
static bool pid1_is_brig(void)
{
	struct stat a, b;

	if (stat("/proc/1/exe", &a) < 0)
		return errno == ENOENT;
	return stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int control_power_main(int argc, char **argv)
{
	const char *action = argv[0], *sock = getenv("BRIG_SOCKET");
	int sig = !strcmp(action, "poweroff") ? SIGUSR2
		  : !strcmp(action, "reboot") ? SIGTERM
		  : !strcmp(action, "halt")   ? SIGUSR1
					      : 0;
	int i;

	if (!sig) {
		fprintf(stderr, "brig: unknown action '%s' (poweroff, reboot, halt)\n", action);
		return 2;
	}
	/* The supervisor's socket first: it reaches PID 1 from inside a jail
	 * (whose own PID 1 is its jail init) granted [security] control = full. */
	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--socket"))
			sock = argv[i + 1];
	if (!sock || !*sock)
		sock = "/run/brig/control.sock";
	if (access(sock, F_OK) == 0)
		return control_client_main(argc, argv);
	if (!pid1_is_brig()) {
		fprintf(stderr,
			"brig: %s: no control socket at %s and PID 1 is not brig (a jail needs "
			"[security] control = full)\n", action, sock);
		return 1;
	}
	if (kill(1, sig) < 0) {
		fprintf(stderr, "brig: %s: kill(1, SIG%s): %m\n", action, value_signal_name(sig));
		return 1;
	}
	return 0;
}

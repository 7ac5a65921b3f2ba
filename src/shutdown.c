/* Runs in: PID 1 (init mode) outside the supervisor loop: waiting for
 * children before and after it, the end of a shutdown (brig(8), INIT MODE) and
 * pid1_panic(); short-lived children that call reboot(2). PID 1 never
 * exits: every path here ends in reboot(2) or reaps forever. */
#include "pid1.h"

#include "fdio.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILL_WAIT_MS 2000 /* after KILL: what is still there is stuck in the kernel */

uint64_t pid1_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- waiting, reaping, rebooting ---- */

/* Every signal PID 1 acts on; all are blocked and taken synchronously. */
static void init_sigset(sigset_t *s)
{
	static const int sigs[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPWR };
	size_t i;

	sigemptyset(s);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(s, sigs[i]);
}

enum pid1_wait pid1_wait(struct watchdog *wd, pid_t watch, int *status, bool until_empty,
			 uint64_t deadline, enum sup_end *end)
{
	enum sup_end act;
	sigset_t set;
	pid_t pid;
	int st;

	init_sigset(&set);
	for (;;) {
		bool watched = false;
		uint64_t now, until, next;
		struct timespec ts;
		int sig;

		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == watch) {
				watched = true;
				*status = st;
			}
		if (watched)
			return W_WATCHED;
		if (pid < 0 && errno == ECHILD && until_empty)
			return W_NOCHILD;
		now = pid1_now();
		if (now >= deadline)
			return W_TIMEOUT;
		next = watchdog_kick(wd, now);
		until = next && next < deadline ? next : deadline;
		if (until == UINT64_MAX) {
			sig = sigwaitinfo(&set, NULL);
		} else {
			ts.tv_sec = (time_t)((until - now) / 1000);
			ts.tv_nsec = (long)((until - now) % 1000) * 1000000;
			sig = sigtimedwait(&set, NULL, &ts);
		}
		if (sig <= 0 || !end)
			continue;
		switch (sup_signal_action(sig, true, &act)) {
		case SUP_SIG_SHUTDOWN:
			*end = act;
			return W_SHUTDOWN;
		case SUP_SIG_RELOAD:
			return W_RELOAD;
		case SUP_SIG_OTHER:
			break;
		}
	}
}

/* Runs in: PID 1, once nothing else can be done. Never returns. */
static void __attribute__((noreturn)) idle_forever(struct watchdog *wd)
{
	for (;;)
		pid1_wait(wd, 0, NULL, false, UINT64_MAX, NULL);
}

/* Runs in: PID 1. reboot(2) may end its caller (halt and power-off end
 * in do_exit() when the machine does not stop), and PID 1 ending is a
 * panic: a vforked child makes the call. vfork because this also runs
 * from pid1_panic(), when memory may be short. Returns the errno of a
 * failed call. */
static __attribute__((noinline)) int reboot_from_child(int cmd)
{
	pid_t pid;
	int st = 0;

	pid = vfork();
	if (pid == 0) {
		reboot(cmd);
		_exit(errno & 0xff);
	}
	if (pid < 0)
		return errno;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
}

void pid1_panic(const char *fmt, ...)
{
	char line[300];
	va_list ap;
	int n, fd;

	n = snprintf(line, sizeof line, "<2>brig: panic: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	/* Both sinks opened afresh: this may run before, or instead of,
	 * whatever log.c holds. */
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		(void)!write(fd, line, (size_t)n);
		close(fd);
	}
	(void)!write(2, line + 3, (size_t)n - 3);
	sync();
	reboot_from_child(RB_AUTOBOOT);
	idle_forever(NULL);
}

/* ---- shutdown ---- */

/* Unescapes mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	*d = '\0';
}

/* Every mount but "/", newest first; busy ones lazily. */
static void unmount_all(void)
{
	char *info = malloc(1 << 16), *mp[256], *s, *l;
	int n = 0, ok = 0, i;

	/* stat gives mountinfo no size: read_whole() would see it empty. */
	if (info && fdio_read_file(AT_FDCWD, "/proc/self/mountinfo", info, 1 << 16) < 0) {
		free(info);
		info = NULL;
	}
	for (s = info; info && n < 256 && (l = strtok_r(s, "\n", &s));) {
		char *f = l;

		for (i = 0; i < 4 && f; i++)
			f = strchr(f + 1, ' ');
		if (!f)
			continue;
		mp[n] = f + 1;
		if ((f = strchr(f + 1, ' ')))
			*f = '\0';
		unescape(mp[n]);
		if (strcmp(mp[n], "/") != 0)
			n++;
	}
	for (i = n - 1; i >= 0; i--)
		if (umount2(mp[i], 0) == 0 || umount2(mp[i], MNT_DETACH) == 0)
			ok++;
	log_msg(LOG_INFO, "unmounted %d of %d filesystems", ok, n);
	free(info);
}

static const char *end_name(enum sup_end end)
{
	return end == SUP_END_HALT ? "halt" : end == SUP_END_POWEROFF ? "poweroff" : "reboot";
}

void pid1_shutdown(struct watchdog *wd, enum sup_end end, uint64_t deadline)
{
	int cmd = end == SUP_END_HALT       ? RB_HALT_SYSTEM
		  : end == SUP_END_POWEROFF ? RB_POWER_OFF
					    : RB_AUTOBOOT;
	uint64_t now = pid1_now();
	int r;

	log_msg(LOG_INFO, "shutdown (%s): TERM to every process", end_name(end));
	/* The console's session ends now, and its hangup discards what the
	 * terminal has not sent yet: brig's lines go out first. */
	log_drain(300);
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	if (pid1_wait(wd, 0, NULL, true, deadline > now ? deadline : now, NULL) == W_TIMEOUT) {
		log_msg(LOG_WARN, "processes left at the shutdown's deadline: KILL");
		kill(-1, SIGKILL);
		if (pid1_wait(wd, 0, NULL, true, pid1_now() + KILL_WAIT_MS, NULL) == W_TIMEOUT)
			log_msg(LOG_WARN, "processes left after KILL; going on");
	}
	sync();
	unmount_all();
	sync();
	watchdog_finish(wd, end != SUP_END_REBOOT);
	log_msg(LOG_INFO, "%s", end == SUP_END_HALT       ? "halting"
			       : end == SUP_END_POWEROFF ? "powering off"
							 : "rebooting");
	log_drain(300);
	r = reboot_from_child(cmd);
	log_msg(LOG_ERROR, "reboot(2) for %s: %s; PID 1 idles", end_name(end), strerror(r));
	idle_forever(wd);
}

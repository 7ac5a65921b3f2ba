/* Runs in: the supervisor. Which jail a control client is in, told by the
 * supervisor itself from the peer's cgroup: what the peer can reach (a
 * bound /run/brig, the host's root) plays no part. */
#include "ctlpeer.h"

#include "cgroup.h"
#include "fdio.h"
#include "log.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77  /* Linux 6.5 */
#endif

/* The jail slot whose cgroup holds the peer process, -1 for none (the
 * host), -2 when it cannot be told (a jail's cgroup that is no jail's now,
 * the peer gone). Read right after accept; with SO_PEERPIDFD (Linux 6.5)
 * the process is checked to be still alive after its cgroup was read, so
 * its pid cannot have been reused meanwhile. Before 6.5 the window is
 * between connect and this read: a pid would have to wrap around in it. */
int ctlpeer_jail(struct sup *sup, const char *jails_cg, int fd, pid_t pid)
{
	char path[32], buf[512], *p, *name, *end;
	socklen_t len = sizeof(int);
	size_t n = jails_cg ? strlen(jails_cg) : 0;
	struct service *s;
	int pidfd = -1, rc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0)
		pidfd = -1;
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	rc = (int)fdio_read_file(AT_FDCWD, path, buf, sizeof buf);
	if (pidfd >= 0) {
		if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
			rc = -1;
		close(pidfd);
	}
	/* cgroup2's line is "0::/PATH" (the last one on a hybrid host), found
	 * at a line's start: a v1 path may hold "0::/" itself. A file that
	 * fills buf may have lost the end of that line: cannot be told. */
	if (rc <= 0 || rc >= (int)sizeof buf - 1 || !jails_cg)
		return -2;
	if (strncmp(buf, "0::/", 4) ? !(p = strstr(buf, "\n0::/")) : !(p = buf - 1))
		return -2;
	p += 4;
	p[strcspn(p, "\n")] = '\0';
	if (strncmp(p, jails_cg, n) || (p[n] != '/' && p[n] != '\0'))
		return -1;
	name = p + n + (p[n] == '/');
	if ((end = strchr(name, '/')))
		*end = '\0';
	s = sup_find(sup, name);
	return s ? s->idx : -2;
}

const char *ctlpeer_jails_cgroup(const char *cgroup_root, char *mount, size_t len)
{
	struct err e;
	size_t n;

	if (cgroup_find_mount(mount, len, &e) < 0)
		return NULL;
	n = strlen(mount);
	if (!strncmp(cgroup_root, mount, n) && cgroup_root[n] == '/')
		return cgroup_root + n;
	log_msg(LOG_WARN, "control: %s not below %s", cgroup_root, mount);
	return NULL;
}

const char *ctlpeer_allowed(struct sup *sup, const char *jails_cg, int fd, int8_t *grant,
			    int16_t *from)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int j;

	*grant = CONTROL_FULL;
	*from = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != 0)
		return "root only";
	j = ctlpeer_jail(sup, jails_cg, fd, cred.pid);
	if (j == -2)
		return "unknown jail";
	if (j >= 0) {
		*from = (int16_t)j;
		*grant = (int8_t)sup->svc[j].cfg->control;
		if (*grant == CONTROL_NO)
			return "[security] control = no";
	}
	return NULL;
}

const char *ctlpeer_refusal(int grant, const char *cmd)
{
	if (grant == CONTROL_FULL && strcmp(cmd, "exec"))
		return NULL;
	if (grant == CONTROL_STATUS && (!strcmp(cmd, "status") || !strcmp(cmd, "logs")))
		return NULL;
	return grant == CONTROL_FULL ? "no exec from a jail" : "control = status";
}

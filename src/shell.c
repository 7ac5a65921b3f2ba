/* Runs in: PID 1 (init mode) and the shell child it forks. */
#include "shell.h"

#include "fdio.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* The tty behind /dev/console (the last one named in
 * /sys/class/tty/console/active), so the shell gets job control. */
static void console_tty(char *out, size_t cap)
{
	char act[128], *w;

	snprintf(out, cap, "/dev/console");
	if (fdio_read_file(AT_FDCWD, "/sys/class/tty/console/active", act, sizeof act) <= 0)
		return;
	act[strcspn(act, "\n")] = '\0';
	w = strrchr(act, ' ');
	w = w ? w + 1 : act;
	if (*w)
		snprintf(out, cap, "/dev/%.32s", w);
	if (access(out, R_OK | W_OK) < 0)
		snprintf(out, cap, "/dev/console");
}

pid_t shell_start(char *const *argv, const char *what)
{
	char tty[64];
	sigset_t none;
	pid_t pid;
	int fd;

	console_tty(tty, sizeof tty);
	log_msg(LOG_WARN, "starting %s %s on %s", what, argv[0], tty);
	pid = fork();
	if (pid != 0) {
		if (pid < 0)
			log_msg(LOG_ERROR, "%s %s: fork: %m", what, argv[0]);
		return pid < 0 ? -1 : pid;
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpriority(PRIO_PROCESS, 0, 0);  /* PID 1 runs above the default */
	setsid();
	/* dup2 clears O_CLOEXEC on the copies 0, 1 and 2. */
	if ((fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)) >= 0) {
		ioctl(fd, TIOCSCTTY, 1);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/* Signals ignored by PID 1 would stay ignored across exec. */
	for (fd = 1; fd < NSIG; fd++)
		signal(fd, SIG_DFL);
	execv(argv[0], argv);
	fprintf(stderr, "brig: %s %s: %m\n", what, argv[0]);
	_exit(errno == ENOENT ? 127 : 126);
}

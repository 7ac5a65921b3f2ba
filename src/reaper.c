/* Runs in: the jail init (PID 1 of the jail's PID namespace) only. Nothing
 * here exits or allocates; every loop ends when the kernel runs out of
 * children or signals to hand us. */
#include "reaper.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int reaper_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 125;
}

/* Reaps every child that has ended; true once the service was among them.
 * *empty: no child is left, and since every orphan of the namespace is
 * re-parented to PID 1, no process either. */
static bool reap(pid_t service, int *status, bool *empty)
{
	bool done = false;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0 || (pid < 0 && errno == EINTR))
		if (pid == service) {
			*status = reaper_status(st);
			done = true;
		}
	*empty = pid < 0 && errno == ECHILD;
	/* ECHILD with the service never seen cannot happen; end anyway. */
	return done || *empty;
}

int reaper_run(int sigfd, pid_t service)
{
	struct signalfd_siginfo si;
	int status = 125, st;
	bool empty = false;

	for (;;) {
		ssize_t n = read(sigfd, &si, sizeof si);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof si) {
			/* No more signals to read: just wait for the service. */
			pid_t pid;

			while ((pid = waitpid(service, &st, 0)) < 0 && errno == EINTR)
				;
			if (pid == service)
				status = reaper_status(st);
			break;
		}
		if (si.ssi_signo == SIGCHLD) {
			if (reap(service, &status, &empty))
				break;
			continue;
		}
		(void)kill(service, (int)si.ssi_signo);
	}
	/* Nothing of the jail may outlive its service: PID 1 of a namespace
	 * sends to every other process in it with kill(-1). */
	if (!empty) {
		(void)kill(-1, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
			;
	}
	return status;
}

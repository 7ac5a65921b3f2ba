/* `brig exec`: a command inside a running jail. */
#ifndef BRIG_ENTER_H
#define BRIG_ENTER_H

#include <sys/types.h>

/* Runs in: the client. Joins the cgroup (<cgroup_root>/<name>) and the
 * namespaces of the jail init pid, takes the credentials, capabilities and
 * no_new_privs that FILE gives the service, runs argv with the caller's
 * stdio and returns its exit status (125 brig failed, 126, 127, 128+N). */
int jail_exec(pid_t pid, const char *file, const char *cgroup_root, char **argv);

#endif

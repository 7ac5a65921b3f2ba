/* Runs in: the unit test process (any user; installs no filter).
 *
 * seccomp.c's programs run through a small classic-BPF interpreter here,
 * against seccomp_data inputs the way the kernel would hand them over:
 * every rule of both modes and both actions, the architecture check, the
 * number range (x32), the argument checks of clone, unshare and
 * personality, clone3's ENOSYS. A second pass proves the property the
 * kernel's constant-action cache (Linux 5.11) needs: no syscall without an
 * argument check ever loads an argument. The config keys are checked
 * through config_parse. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "seccomp.h"

#include "config.h"
#include "tap.h"

/* The generated table, for its lowest and highest numbers only. */
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#include "syscalls.h"
#define SC_BASE_FOR_TEST SC_BASE
#define SC_MAX_FOR_TEST SC_MAX

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "seccomp_arch.h"

#define ARCH SECCOMP_ARCH
/* Any other architecture's value. */
#define FOREIGN (ARCH == AUDIT_ARCH_X86_64 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64)

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)
#define KILL SECCOMP_RET_KILL_PROCESS
#define BAD 0xdeadbeefu /* the interpreter refused the program */

/* ---- a classic BPF interpreter, as the kernel's seccomp runs one ---- */

static struct sock_filter prog[SECCOMP_PROG_MAX];
static int nprog;
static bool loaded_arg; /* the last run read something besides nr and arch */
static int steps;       /* instructions the last run executed */

/* The kernel's checks (seccomp_check_filter, bpf_check_classic): only the
 * instructions seccomp accepts, aligned loads inside seccomp_data, every
 * jump inside the program, a return at its end. */
static bool valid(const struct sock_filter *f, int n)
{
	int pc;

	if (n < 1 || n > BPF_MAXINSNS || f[n - 1].code != (BPF_RET | BPF_K))
		return false;
	for (pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k % 4 || i->k + 4 > sizeof(struct seccomp_data))
				return false;
			break;
		case BPF_JMP | BPF_JA:
			if (pc + 1 + (long)i->k >= n)
				return false;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			if (pc + 1 + i->jt >= n || pc + 1 + i->jf >= n)
				return false;
			break;
		case BPF_RET | BPF_K:
			break;
		default:
			return false;
		}
	}
	return true;
}

static uint32_t run(const struct seccomp_data *d)
{
	uint32_t a = 0;
	int pc = 0;

	loaded_arg = false;
	steps = 0;
	while (pc >= 0 && pc < nprog) {
		const struct sock_filter *i = &prog[pc];
		bool t;

		steps++;
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			memcpy(&a, (const char *)d + i->k, 4);
			loaded_arg |= i->k != offsetof(struct seccomp_data, nr) &&
				      i->k != offsetof(struct seccomp_data, arch);
			pc++;
			continue;
		case BPF_JMP | BPF_JA:
			pc += 1 + (int)i->k;
			continue;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JEQ | BPF_K:
			t = a == i->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			t = a > i->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			t = a >= i->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			t = (a & i->k) != 0;
			break;
		default:
			return BAD;
		}
		pc += 1 + (t ? i->jt : i->jf);
	}
	return BAD;
}

/* The verdict for syscall nr with argument 0 = arg0, native architecture. */
static uint32_t call(int nr, uint64_t arg0)
{
	struct seccomp_data d = { .nr = nr, .arch = ARCH, .args = { arg0 } };

	return run(&d);
}

static bool build(const struct seccomp_cfg *c)
{
	struct err e;

	nprog = seccomp_build(c, prog, SECCOMP_PROG_MAX, &e);
	return nprog > 0 && valid(prog, nprog);
}

/* A config from a mode, an action and space-separated allow/deny words. */
static struct seccomp_cfg cfg(enum seccomp_mode m, enum seccomp_action a, const char *allow,
			      const char *deny)
{
	struct seccomp_cfg c = { .mode = m, .action = a };
	char buf[512], *w, *save;

	snprintf(buf, sizeof buf, "%s", allow);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (seccomp_add(w, c.allow) != SECCOMP_FOUND)
			printf("# cfg: %s not found\n", w);
	snprintf(buf, sizeof buf, "%s", deny);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (seccomp_add(w, c.deny) != SECCOMP_FOUND)
			printf("# cfg: %s not found\n", w);
	return c;
}

static const char *verdict(uint32_t v)
{
	static char buf[32];

	if (v == ALLOW)
		return "allow";
	if (v == KILL)
		return "kill";
	if ((v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		return snprintf(buf, sizeof buf, "errno %u", v & SECCOMP_RET_DATA), buf;
	return snprintf(buf, sizeof buf, "0x%x", v), buf;
}

static void expect(const char *what, int nr, uint64_t arg0, uint32_t want)
{
	uint32_t got = call(nr, arg0);

	if (!ok(got == want, "%s: %s", what, verdict(want)))
		printf("# got %s\n", verdict(got));
}

/* One row: a call, its first argument, the verdict it must get. */
struct row {
	const char *what;
	int nr;
	uint64_t arg0;
	uint32_t want;
};

static void rows(const struct row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		expect(r[i].what, r[i].nr, r[i].arg0, r[i].want);
}

#define ROWS(table) rows(table, sizeof table / sizeof table[0])

/* ---- the default deny list ---- */

/* The default deny list (brig.ini(5), SECCOMP), name by name: Docker's default profile and more. */
static const char *const docker[] = {
	"acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "settimeofday",
	"init_module", "finit_module", "delete_module", "create_module", "get_kernel_syms",
	"query_module", "get_mempolicy", "set_mempolicy", "mbind", "move_pages", "ioperm",
	"iopl", "kcmp", "kexec_load", "kexec_file_load", "keyctl", "request_key",
	"lookup_dcookie", "mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick",
	"move_mount", "open_tree", "mount_setattr", "nfsservctl", "open_by_handle_at",
	"perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace",
	"quotactl", "reboot", "setns", "swapon", "swapoff", "sysfs", "_sysctl", "uselib",
	"userfaultfd", "ustat", "vm86", "vm86old", "io_uring_setup", "io_uring_enter",
	"io_uring_register", NULL,
};

/* What daemons use all day, which the default list must leave alone. */
static const int everyday[] = {
	__NR_read, __NR_write, __NR_openat, __NR_close,
#ifdef __NR_mmap2
	__NR_mmap2,
#else
	__NR_mmap,
#endif
	__NR_munmap, __NR_brk,
	__NR_socket, __NR_bind, __NR_listen, __NR_accept4, __NR_epoll_pwait, __NR_futex,
	__NR_execve, __NR_wait4, __NR_kill, __NR_setresuid, __NR_capset, __NR_prctl,
	__NR_getppid, __NR_chroot, __NR_adjtimex, __NR_seccomp, __NR_rt_sigreturn,
};

/* The number of name, or -1 where this architecture lacks it. */
static int nr_of(const char *name)
{
	uint64_t bits[SECCOMP_WORDS] = { 0 };
	unsigned n;

	if (seccomp_add(name, bits) != SECCOMP_FOUND)
		return -1;
	for (n = 0; n < SECCOMP_SPAN; n++)
		if (bits[n / 64] >> (n % 64) & 1)
			return (int)n + SC_BASE_FOR_TEST;
	return -1;
}

static const struct row defaults[] = {
	{ "clone3", __NR_clone3, 0, ENOSYS_ },
	{ "clone without namespace flags (a thread)",
	  __NR_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD, ALLOW },
	{ "clone as fork (SIGCHLD)", __NR_clone, SIGCHLD, ALLOW },
	{ "clone(CLONE_NEWUSER)", __NR_clone, CLONE_NEWUSER | SIGCHLD, EPERM_ },
	{ "clone(CLONE_NEWNET)", __NR_clone, CLONE_NEWNET, EPERM_ },
	{ "clone(CLONE_NEWNS | CLONE_NEWPID)",
	  __NR_clone, CLONE_NEWNS | CLONE_NEWPID, EPERM_ },
	{ "clone(CLONE_NEWCGROUP)", __NR_clone, CLONE_NEWCGROUP, EPERM_ },
	{ "clone with a namespace bit only in the high word (ignored by the kernel)",
	  __NR_clone, (uint64_t)CLONE_NEWUSER << 32, ALLOW },
	{ "unshare(CLONE_NEWUSER)", __NR_unshare, CLONE_NEWUSER, EPERM_ },
	{ "unshare(CLONE_NEWNS)", __NR_unshare, CLONE_NEWNS, EPERM_ },
	{ "unshare(CLONE_NEWUTS | CLONE_NEWIPC)",
	  __NR_unshare, CLONE_NEWUTS | CLONE_NEWIPC, EPERM_ },
	{ "unshare(CLONE_NEWTIME)", __NR_unshare, 0x80, EPERM_ },
	{ "unshare(CLONE_FILES | CLONE_FS)", __NR_unshare, CLONE_FILES | CLONE_FS, ALLOW },
	{ "personality(PER_LINUX)", __NR_personality, 0, ALLOW },
	{ "personality(0xffffffff), the query", __NR_personality, 0xffffffff, ALLOW },
	{ "personality(PER_LINUX32)", __NR_personality, 8, ALLOW },
	{ "personality(UNAME26)", __NR_personality, 0x20000, ALLOW },
	{ "personality(ADDR_NO_RANDOMIZE)", __NR_personality, 0x0040000, EPERM_ },
	{ "personality(READ_IMPLIES_EXEC)", __NR_personality, 0x0400000, EPERM_ },
	{ "personality(PER_BSD)", __NR_personality, 6, EPERM_ },
};

static void t_default_list(void)
{
	struct seccomp_cfg c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "", "");
	int i, absent = 0, denied = 0, wrong = 0;
	bool built = build(&c);

	ok(built, "default, eperm: a valid program (%d instructions)", nprog);
	for (i = 0; docker[i]; i++) {
		int nr = nr_of(docker[i]);

		if (nr < 0) {
			absent++;
			continue;
		}
		if (call(nr, 0) == EPERM_)
			denied++;
		else
			printf("# %s: %s\n", docker[i], verdict(call(nr, 0))), wrong++;
	}
	ok(wrong == 0, "each call of the default list that this architecture has: EPERM (%d; %d absent)",
	   denied, absent);
	for (i = 0, wrong = 0; i < (int)(sizeof everyday / sizeof everyday[0]); i++)
		if (call(everyday[i], 0) != ALLOW)
			printf("# syscall %d: %s\n", everyday[i], verdict(call(everyday[i], 0))),
				wrong++;
	ok(wrong == 0, "%zu everyday calls (read, socket, execve, chroot, adjtimex...) are allowed",
	   sizeof everyday / sizeof everyday[0]);
	ROWS(defaults);
}

static void t_arch_and_range(void)
{
	struct seccomp_cfg c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "", "");
	struct seccomp_data d = { .nr = __NR_getppid, .arch = FOREIGN };

	build(&c);
	ok(run(&d) == KILL, "a call of a foreign architecture kills the process");
#if defined(__x86_64__)
	expect("x32: getppid | __X32_SYSCALL_BIT", __NR_getppid | 0x40000000, 0, ENOSYS_);
	expect("x32: read | __X32_SYSCALL_BIT", __NR_read | 0x40000000, 0, ENOSYS_);
#endif
	expect("a number above the highest this build knows", SC_MAX_FOR_TEST + 1, 0, ENOSYS_);
	expect("syscall -1 (a tracer's skip)", -1, 0, ENOSYS_);
	c = cfg(SECMODE_ALLOWLIST, SECACT_KILL, "read", "");
	build(&c);
	ok(run(&d) == KILL, "allowlist: a foreign architecture is killed too");
	expect("allowlist, kill: a number above the table still answers ENOSYS",
	       SC_MAX_FOR_TEST + 1, 0, ENOSYS_);
}

static const struct row kills[] = {
	{ "kill: mount", __NR_mount, 0, KILL },
	{ "kill: ptrace", __NR_ptrace, 0, KILL },
	{ "kill: unshare(CLONE_NEWUSER)", __NR_unshare, CLONE_NEWUSER, KILL },
	{ "kill: clone(CLONE_NEWPID)", __NR_clone, CLONE_NEWPID, KILL },
	{ "kill: personality(READ_IMPLIES_EXEC)", __NR_personality, 0x0400000, KILL },
	{ "kill: clone3 still answers ENOSYS, so libcs fall back to clone",
	  __NR_clone3, 0, ENOSYS_ },
	{ "kill: getppid is allowed", __NR_getppid, 0, ALLOW },
};

static void t_kill(void)
{
	struct seccomp_cfg c = cfg(SECMODE_DEFAULT, SECACT_KILL, "", "");

	ok(build(&c), "default, kill: a valid program");
	ROWS(kills);
}

static const struct row lists_1[] = {
	{ "allow = mount: mount is allowed", __NR_mount, 0, ALLOW },
	{ "allow = mount: umount2 is still denied", __NR_umount2, 0, EPERM_ },
	{ "deny = getppid: denied", __NR_getppid, 0, EPERM_ },
};

static const struct row lists_2[] = {
	{ "allow = @mount: umount2 is allowed", __NR_umount2, 0, ALLOW },
	{ "allow = @mount: mount_setattr is allowed", __NR_mount_setattr, 0, ALLOW },
	{ "allow = @keyring: keyctl is allowed", __NR_keyctl, 0, ALLOW },
	{ "deny = @network-io: socket is denied", __NR_socket, 0, EPERM_ },
	{ "deny = @network-io: connect is denied", __NR_connect, 0, EPERM_ },
	{ "allow @mount leaves ptrace denied", __NR_ptrace, 0, EPERM_ },
};

static const struct row lists_3[] = {
	{ "allow = unshare lifts its check", __NR_unshare, CLONE_NEWUSER, ALLOW },
	{ "allow = clone lifts its check", __NR_clone, CLONE_NEWNET, ALLOW },
	{ "allow = clone3: clone3 is allowed", __NR_clone3, 0, ALLOW },
	{ "allow = personality lifts its check", __NR_personality, 0x0400000, ALLOW },
};

static const struct row lists_4[] = {
	{ "in both lists: deny wins", __NR_mount, 0, KILL },
	{ "deny = unshare: denied whatever its flags", __NR_unshare, 0, KILL },
	{ "deny = clone3: still ENOSYS", __NR_clone3, 0, ENOSYS_ },
	{ "allow = getppid, not in the default list: still allowed", __NR_getppid, 0, ALLOW },
};

static void t_allow_deny(void)
{
	struct seccomp_cfg c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "mount", "getppid");

	build(&c);
	ROWS(lists_1);
	c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "@mount @keyring", "@network-io");
	build(&c);
	ROWS(lists_2);
	c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "unshare clone clone3 personality", "");
	build(&c);
	ROWS(lists_3);
	c = cfg(SECMODE_DEFAULT, SECACT_KILL, "mount getppid", "mount unshare clone3");
	build(&c);
	ROWS(lists_4);
}

static const struct row allowlist_1[] = {
	{ "allowlist: read is allowed", __NR_read, 0, ALLOW },
	{ "allowlist: brk is allowed", __NR_brk, 0, ALLOW },
	{ "allowlist: getppid is not", __NR_getppid, 0, EPERM_ },
	{ "allowlist: execve (to start the service) is", __NR_execve, 0, ALLOW },
	{ "allowlist: write (an exec error) is", __NR_write, 0, ALLOW },
	{ "allowlist: exit_group is", __NR_exit_group, 0, ALLOW },
	{ "allowlist: a default-denied call stays denied", __NR_mount, 0, EPERM_ },
	{ "allowlist: clone3 not listed answers ENOSYS", __NR_clone3, 0, ENOSYS_ },
	{ "allowlist: clone listed, as a thread", __NR_clone, CLONE_VM | CLONE_THREAD, ALLOW },
	{ "allowlist: clone listed, with CLONE_NEWUSER", __NR_clone, CLONE_NEWUSER, EPERM_ },
	{ "allowlist: personality listed, the default persona", __NR_personality, 0, ALLOW },
	{ "allowlist: personality listed, another one", __NR_personality, 0x0400000, EPERM_ },
	{ "allowlist: unshare not listed", __NR_unshare, 0, EPERM_ },
};

static const struct row allowlist_2[] = {
	{ "@system-service: openat", __NR_openat, 0, ALLOW },
	{ "@system-service: futex", __NR_futex, 0, ALLOW },
	{ "@system-service: setresuid", __NR_setresuid, 0, ALLOW },
	{ "@system-service less deny = write: write kills", __NR_write, 0, KILL },
	{ "less deny = @network-io: socket kills", __NR_socket, 0, KILL },
	{ "@system-service has no ptrace", __NR_ptrace, 0, KILL },
	{ "@system-service has no mount", __NR_mount, 0, KILL },
	{ "@system-service: unshare(CLONE_NEWUSER) kills", __NR_unshare, CLONE_NEWUSER, KILL },
};

static void t_allowlist(void)
{
	struct seccomp_cfg c =
		cfg(SECMODE_ALLOWLIST, SECACT_EPERM, "read brk clone personality", "");
	bool built = build(&c);

	ok(built, "allowlist: a valid program (%d instructions)", nprog);
	ROWS(allowlist_1);
	c = cfg(SECMODE_ALLOWLIST, SECACT_KILL, "@system-service", "write @network-io");
	built = build(&c);
	ok(built, "allowlist = @system-service, kill: a valid program (%d instructions)", nprog);
	ROWS(allowlist_2);
}

/* Linux 5.11 caches "allow" for a syscall whose verdict the filter reaches
 * without reading an argument; brig puts only clone, unshare and
 * personality behind such reads. */
static void t_constant_actions(void)
{
	static const char *const modes[] = { "default", "allowlist" };
	int m, nr, loads;

	for (m = 0; m < 2; m++) {
		struct seccomp_cfg c = cfg((enum seccomp_mode)m, SECACT_EPERM,
					   m ? "@system-service" : "", "");
		int longest = 0;

		build(&c);
		for (nr = SC_BASE_FOR_TEST, loads = 0; nr <= SC_MAX_FOR_TEST + 1; nr++) {
			call(nr, 0);
			if (loaded_arg && nr != __NR_clone && nr != __NR_unshare &&
			    nr != __NR_personality)
				printf("# syscall %d reads an argument\n", nr), loads++;
			if (steps > longest)
				longest = steps;
		}
		ok(loads == 0, "%s: no syscall but clone, unshare, personality reads an argument",
		   modes[m]);
		/* The lists are cut into chunks: a few guards and one chunk, not the
		 * whole list, for the filter and for the kernel building its cache. */
		ok(longest <= 50, "%s: no syscall runs more than 50 of its %d instructions (%d)",
		   modes[m], nprog, longest);
	}
}

static void t_bounds(void)
{
	struct seccomp_cfg c = cfg(SECMODE_ALLOWLIST, SECACT_EPERM, "", "");
	struct err e;
	unsigned n;
	int len;

	/* Every number allowed: the longest list a config can make. */
	for (n = 0; n < SECCOMP_SPAN; n++)
		c.allow[n / 64] |= 1ULL << (n % 64);
	len = seccomp_build(&c, prog, SECCOMP_PROG_MAX, &e);
	nprog = len;
	ok(len > SECCOMP_SPAN && len <= SECCOMP_PROG_MAX && valid(prog, len),
	   "every number listed: %d instructions, within SECCOMP_PROG_MAX, jumps in range", len);
	expect("... and the last number is still reached", SC_BASE_FOR_TEST + SECCOMP_SPAN - 1, 0,
	       ENOSYS_);
	ok(seccomp_build(&c, prog, 100, &e) < 0 && e.errnum == E2BIG,
	   "a buffer too small is E2BIG, never an overflow");
}

static void t_init_filter(void)
{
	struct seccomp_cfg c;

	seccomp_init_cfg(&c);
	ok(build(&c), "the jail init's filter: a valid program");
	expect("jail init: execve", __NR_execve, 0, EPERM_);
	expect("jail init: execveat", __NR_execveat, 0, EPERM_);
	expect("jail init: ptrace", __NR_ptrace, 0, EPERM_);
	expect("jail init: wait4", __NR_wait4, 0, ALLOW);
	expect("jail init: kill", __NR_kill, 0, ALLOW);
}

/* ---- names and groups ---- */

static void count(void *ctx, const char *w)
{
	(void)w;
	(*(int *)ctx)++;
}

static void t_names(void)
{
	uint64_t b[SECCOMP_WORDS] = { 0 }, ss[SECCOMP_WORDS] = { 0 }, dd[SECCOMP_WORDS] = { 0 };
	int names = 0, groups = 0, both = 0;
	unsigned i;

	ok(seccomp_add("mount", b) == SECCOMP_FOUND && seccomp_has_mount(b),
	   "mount is a name, and of @mount");
	ok(seccomp_add("mout", b) == SECCOMP_UNKNOWN, "mout is unknown");
	ok(seccomp_add("@mnt", b) == SECCOMP_UNKNOWN, "@mnt is unknown");
#if defined(__x86_64__)
	ok(seccomp_add("vm86", b) == SECCOMP_ABSENT, "vm86 is known, absent on x86_64");
	ok(seccomp_add("mmap2", b) == SECCOMP_ABSENT, "mmap2 is known, absent on x86_64");
#endif
	memset(b, 0, sizeof b);
	ok(seccomp_add("read", b) == SECCOMP_FOUND && !seccomp_has_mount(b),
	   "read is not of @mount");
	seccomp_each_word(false, count, &names);
	seccomp_each_word(true, count, &groups);
	ok(names > 250 && groups >= 20, "%d syscall names and %d groups known", names, groups);
	seccomp_add("@system-service", ss);
	seccomp_add("@mount", dd);
	seccomp_add("@privileged", b);
	ok(!seccomp_has_mount(ss) && seccomp_has_mount(b), "@privileged holds @mount, "
	   "@system-service does not");
	/* What the default list denies is no part of @system-service. */
	{
		struct seccomp_cfg c = cfg(SECMODE_DEFAULT, SECACT_EPERM, "", "");

		build(&c);
		for (i = 0; i < SECCOMP_SPAN; i++)
			if (ss[i / 64] >> (i % 64) & 1 &&
			    call((int)i + SC_BASE_FOR_TEST, 0) == EPERM_)
				printf("# syscall %u\n", i + SC_BASE_FOR_TEST), both++;
		ok(both == 0, "nothing of @system-service is in the default deny list");
	}
}

/* ---- the config keys ---- */

struct notes {
	int n;
	char text[16][300];
};

static void collect(void *ctx, const char *file, int line, bool warning, const char *msg)
{
	struct notes *ns = ctx;

	(void)file;
	if (ns->n < 16)
		snprintf(ns->text[ns->n++], 300, "%d:%s:%s", line, warning ? "warning" : "error",
			 msg);
}

static bool has(const struct notes *ns, const char *want)
{
	int i;

	for (i = 0; i < ns->n; i++)
		if (strstr(ns->text[i], want))
			return true;
	for (i = 0; i < ns->n; i++)
		printf("# %s\n", ns->text[i]);
	return false;
}

static int parse(const char *text, struct jail_cfg *c, struct notes *ns)
{
	struct diag d = { .emit = collect, .ctx = ns };
	char buf[1024];

	memset(ns, 0, sizeof *ns);
	config_defaults(c, "web");
	snprintf(buf, sizeof buf, "[jail]\nexec = /bin/true\n[security]\n%s", text);
	config_parse("web.ini", buf, strlen(buf), c, &d);
	return d.errors;
}

static void t_config(void)
{
	struct jail_cfg a, b;
	struct notes ns;
	int n;

	ok(parse("", &a, &ns) == 0 && a.seccomp.mode == SECMODE_DEFAULT &&
	   a.seccomp.action == SECACT_EPERM, "defaults: seccomp = default, action eperm");
	config_free(&a);
	ok(parse("seccomp.allow = mout\n", &a, &ns) == 1 &&
	   has(&ns, "4:error:seccomp.allow: unknown syscall 'mout'; did you mean 'mount'?"),
	   "an unknown name: error at its line with a suggestion");
	config_free(&a);
	ok(parse("seccomp.deny = @mout\n", &a, &ns) == 1 &&
	   has(&ns, "unknown group '@mout'; did you mean '@mount'?"),
	   "an unknown group: error with a suggestion");
	config_free(&a);
	ok(parse("seccomp.allow = @mount\n", &a, &ns) == 0 &&
	   has(&ns, "4:warning:seccomp.allow: with the mount calls allowed"),
	   "allowing @mount: a warning about read-only binds");
	config_free(&a);
	ok(parse("seccomp.allow = read, move_mount\n", &a, &ns) == 0 &&
	   has(&ns, "with the mount calls allowed"), "allowing move_mount: the same warning");
#if defined(__x86_64__)
	config_free(&a);
	ok(parse("seccomp.deny = vm86 getppid\n", &a, &ns) == 0 &&
	   has(&ns, "4:warning:seccomp.deny: syscall 'vm86' does not exist on x86_64"),
	   "a name this architecture lacks: a warning");
#endif
	config_free(&a);
	ok(parse("seccomp = allowlist\n", &a, &ns) == 1 && has(&ns, "needs seccomp.allow"),
	   "allowlist without seccomp.allow is an error");
	config_free(&a);
	ok(parse("seccomp = allowlist\nseccomp.allow = read\nno_new_privs = no\n", &a, &ns) == 1 &&
	   has(&ns, "needs no_new_privs = yes"), "allowlist with no_new_privs = no is an error");
	config_free(&a);
	ok(parse("seccomp = strict\n", &a, &ns) == 1 &&
	   has(&ns, "'strict' is not one of: default, allowlist, none"), "a bad mode");
	config_free(&a);
	ok(parse("seccomp.action = errno\n", &a, &ns) == 1 &&
	   has(&ns, "'errno' is not one of: eperm, kill"), "a bad action");
	config_free(&a);
	ok(parse("seccomp.allow =\n", &a, &ns) >= 1, "an empty list is an error");
	config_free(&a);
	n = parse("seccomp = none\nseccomp.deny = read\ncapabilities = cap_sys_admin\n", &a, &ns);
	ok(n == 0 && has(&ns, "no effect with seccomp = none") &&
		   has(&ns, "with no filter, a jail holding cap_sys_admin"),
	   "seccomp = none: warnings for the lists and for cap_sys_admin");
	config_free(&a);
	/* Equality is that of the settings as written (the reload digest):
	 * comments and spacing do not count, the words do. */
	parse("seccomp.allow = read write\nseccomp.action = kill\n", &a, &ns);
	parse("# a comment\nseccomp.allow =   read write\n\nseccomp.action=kill\n", &b, &ns);
	ok(config_equal(&a, &b), "the same settings, spaced differently: equal (no reload restart)");
	config_free(&b);
	parse("seccomp.allow = read write\n", &b, &ns);
	ok(!config_equal(&a, &b), "a changed action is a change");
	config_free(&a);
	config_free(&b);
}

int main(void)
{
	t_default_list();
	t_arch_and_range();
	t_kill();
	t_allow_deny();
	t_allowlist();
	t_constant_actions();
	t_bounds();
	t_init_filter();
	t_names();
	t_config();
	return done();
}

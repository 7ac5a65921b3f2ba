/* The AUDIT_ARCH value of the target and its name, chosen by the
 * compiler's own predefined macros: the seccomp filter's first check.
 * Shared by src/seccomp.c and its unit test. */
#ifndef BRIG_SECCOMP_ARCH_H
#define BRIG_SECCOMP_ARCH_H

#include <linux/audit.h>

#if defined(__x86_64__) && !defined(__ILP32__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#define SECCOMP_ARCH_NAME "x86_64"
#elif defined(__i386__)
#define SECCOMP_ARCH AUDIT_ARCH_I386
#define SECCOMP_ARCH_NAME "i386"
#elif defined(__aarch64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#define SECCOMP_ARCH_NAME "aarch64"
#elif defined(__arm__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SECCOMP_ARCH AUDIT_ARCH_ARM
#define SECCOMP_ARCH_NAME "arm"
#elif defined(__mips__) && _MIPS_SIM == _ABIO32 && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SECCOMP_ARCH AUDIT_ARCH_MIPS
#define SECCOMP_ARCH_NAME "mips"
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define SECCOMP_ARCH AUDIT_ARCH_MIPSEL
#define SECCOMP_ARCH_NAME "mipsel"
#elif defined(__mips__) && _MIPS_SIM == _ABI64 && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SECCOMP_ARCH AUDIT_ARCH_MIPS64
#define SECCOMP_ARCH_NAME "mips64"
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define SECCOMP_ARCH AUDIT_ARCH_MIPSEL64
#define SECCOMP_ARCH_NAME "mips64el"
#elif defined(__riscv) && __riscv_xlen == 64
#define SECCOMP_ARCH AUDIT_ARCH_RISCV64
#define SECCOMP_ARCH_NAME "riscv64"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SECCOMP_ARCH AUDIT_ARCH_PPC64LE
#define SECCOMP_ARCH_NAME "ppc64le"
#else
#error "seccomp_arch.h: no AUDIT_ARCH for this target; add it (clone's flags must be args[0])"
#endif

#endif

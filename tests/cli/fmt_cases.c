/* Formats every printf form brig uses; tests/cli/20-fmt.sh compares the
 * output of src/fmt.c (musl build) with the host libc's. */
#include <stdio.h>
#include <string.h>
int main(void){
 char b[64]; int n;
 printf("[%s][%d][%llu][%u][%.*s][%c][%%][%.3s][%-9s][%-20s|][%9s][%8u][%8llu][%7d][%04x][%#x][%#x]\n",
  "abc", -42, 18446744073709551615ULL, 4294967295U, 3, "abcdef", 'z', "abcdef", "run", "name", "x", 7u, 12ULL, -5, 0xab, 255, 0);
 printf("[%d][%d][%5d][%-5d|][%05d][%ld][%lld][%zu][%s]\n", 0, -2147483647-1, 42, 42, -42, -1L, -9223372036854775807LL-1, (size_t)77, (char*)0);
 n = snprintf(b, 5, "%s", "hello world"); printf("[%s][%d]\n", b, n);
 n = snprintf(b, 0, "%d", 12345); printf("[%d]\n", n);
 n = snprintf(b, sizeof b, "%*d|%-*d|", 6, 1, 4, 2); printf("[%s][%d]\n", b, n);
 fprintf(stdout, "err %s %d\n", "x", 3);
 /* The stdio stand-ins: each call is written through in order. */
 fputs("fputs\n", stdout); puts("puts"); fputc('c', stdout); putchar('\n');
 fwrite("fwrite\n", 1, 7, stdout); fwrite("", 1, 0, stdout);
 /* Longer than the 1 KiB buffer: written in pieces, nothing lost. */
 { static char big[3000]; memset(big, 'y', sizeof big - 1); n = printf("%s|%d\n", big, 7); printf("[%d]\n", n); }
 return 0;}

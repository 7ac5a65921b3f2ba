/* brig's usage text: every command prints it on --help and on a usage
 * error, so the text is in the binary once. */
#ifndef BRIG_USAGE_H
#define BRIG_USAGE_H

extern const char brig_usage[];

#endif

/* The control server: the supervisor loop plus its control socket, the
 * whole long-lived supervisor of `brig supervise` and of init mode. */
#ifndef BRIG_CTLSERVER_H
#define BRIG_CTLSERVER_H

#include "supervisor.h"

#include <stdint.h>

/* Runs the supervisor until a shutdown has stopped every jail. Returns how
 * it ends (SUP_END_EXIT also when it could not start) and, in *deadline,
 * the CLOCK_MONOTONIC ms by which the whole shutdown must be done (0: no
 * bound was set). */
enum sup_end control_run(const struct sup_opts *o, uint64_t *deadline);

#endif

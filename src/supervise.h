/* `brig supervise`: the supervisor as an ordinary daemon. */
#ifndef BRIG_SUPERVISE_H
#define BRIG_SUPERVISE_H

/* argv holds the words after "supervise"; returns the exit status. */
int supervise_main(int argc, char **argv);

#endif

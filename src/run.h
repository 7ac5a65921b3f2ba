/* `brig run`: one jail in the foreground. */
#ifndef BRIG_RUN_H
#define BRIG_RUN_H

/* argv holds the words after "run"; returns the exit status of brig(8). */
int run_main(int argc, char **argv);

#endif

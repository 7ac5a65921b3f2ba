/* `brig check PATH...`: validate jail files and config dirs. */
#ifndef BRIG_CHECK_H
#define BRIG_CHECK_H

/* Prints every problem as FILE:LINE: error: MSG; returns 0 clean, 1 otherwise. */
int check_main(int argc, char **argv);

#endif

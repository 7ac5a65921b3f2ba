/* `brig stats`: a live table of every jail's resources. */
#ifndef BRIG_STATS_H
#define BRIG_STATS_H

/* args: [--no-stream] [NAME...]; sock: the supervisor's control socket. */
int stats_main(const char *sock, int argc, char **argv);

#endif

/* Flotilla's pod sandbox process: holds the pod's namespaces, reaps orphaned children and exits on
 * SIGINT or SIGTERM. Built with gcc -static into the pause image (node-agent images/BaseImages). */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signo) { _exit(signo == SIGTERM || signo == SIGINT ? 0 : 1); }

static void reap(int signo) {
    (void) signo;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void) {
    struct sigaction on_stop = {.sa_handler = stop};
    struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
    sigaction(SIGINT, &on_stop, NULL);
    sigaction(SIGTERM, &on_stop, NULL);
    sigaction(SIGCHLD, &on_child, NULL);
    for (;;) {
        pause();
    }
}

/* Flotilla's demo HTTP echo server: answers every request with the pod's host name, the caller's
 * address and the request it received, and logs one line per request. PORT (default 8080). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void stop(int signo) { _exit(signo == SIGTERM || signo == SIGINT ? 0 : 1); }

static void serve(int fd, const struct sockaddr_in *peer) {
    char request[16384], head[512], host[256] = "";
    size_t used = 0;
    while (used < sizeof(request) - 1) {
        ssize_t n = read(fd, request + used, sizeof(request) - 1 - used);
        if (n <= 0) break;
        used += (size_t) n;
        request[used] = 0;
        if (strstr(request, "\r\n\r\n")) break;
    }
    request[used] = 0;
    gethostname(host, sizeof(host) - 1);
    char remote[64];
    snprintf(remote, sizeof(remote), "%s:%d", inet_ntoa(peer->sin_addr), ntohs(peer->sin_port));
    char body[17000];
    int length = snprintf(body, sizeof(body), "hostname: %s\nremote: %s\n\n%s", host, remote, request);
    if (length > (int) sizeof(body) - 1) length = (int) sizeof(body) - 1;
    int headLength = snprintf(head, sizeof(head),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", length);
    write(fd, head, (size_t) headLength);
    write(fd, body, (size_t) length);
    char *end = strstr(request, "\r\n");
    if (end) *end = 0;
    printf("%s %s\n", remote, request);
    fflush(stdout);
}

int main(void) {
    const char *text = getenv("PORT");
    int port = text ? atoi(text) : 8080;
    struct sigaction ignore = {0};
    ignore.sa_handler = SIG_IGN;
    ignore.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &ignore, NULL);
    /* As PID 1 of a container the default action of SIGTERM is to ignore it. */
    struct sigaction on_stop = {.sa_handler = stop};
    sigaction(SIGTERM, &on_stop, NULL);
    sigaction(SIGINT, &on_stop, NULL);
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short) port);
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(server, (struct sockaddr *) &address, sizeof(address)) != 0 || listen(server, 64) != 0) {
        perror("echo: cannot listen");
        return 1;
    }
    printf("echo server listening on :%d\n", port);
    fflush(stdout);
    for (;;) {
        struct sockaddr_in peer;
        socklen_t size = sizeof(peer);
        int fd = accept(server, (struct sockaddr *) &peer, &size);
        if (fd < 0) continue;
        if (fork() == 0) {
            close(server);
            serve(fd, &peer);
            close(fd);
            _exit(0);
        }
        close(fd);
    }
}

/*
 * Fleetgate demo application: a tiny HTTP/1.1 server (keep-alive, one thread per connection)
 * listening on $BIND:$PORT (default 127.0.0.1:8080). Built statically and shipped FROM scratch
 * with busybox (see Dockerfile, scripts/demo-image.sh).
 *
 *   GET /             HTML page naming the replica (service, slot, container id, port)
 *   GET /health       200 "ok", or 500 while switched to failing
 *   GET /api/data     JSON after a delay: $DELAY_MS (default 50) or ?delay=ms (max 60000)
 *   GET /api/switch   toggles between answering 200 and 500 (returns the new mode)
 *   GET /api/status   JSON: replica, port, mode, uptime, requests served
 *
 * One log line per request on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int failing = 0;
static volatile long requests = 0;
static int port = 8080;
static int default_delay_ms = 50;
static time_t started;
static char replica[160];
static char container_id[16] = "unknown";

static void find_container_id(void) {
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[512];
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "/docker/");
        if (!p) p = strstr(line, "docker-");
        if (p) {
            p = strchr(p, '/') == p ? p + 8 : p + 7;
            if (strlen(p) >= 12) {
                memcpy(container_id, p, 12);
                container_id[12] = 0;
                break;
            }
        }
    }
    fclose(f);
}

static long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

static int write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

static int respond(int fd, int status, const char *type, const char *body, int keep_alive, int head) {
    char header[512];
    const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status == 400 ? "Bad Request"
                       : status == 405 ? "Method Not Allowed" : "Internal Server Error";
    int n = snprintf(header, sizeof header,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
                     "X-Replica: %s\r\nConnection: %s\r\n\r\n",
                     status, reason, type, strlen(body), replica, keep_alive ? "keep-alive" : "close");
    if (write_all(fd, header, (size_t) n) < 0) return -1;
    return head ? 0 : write_all(fd, body, strlen(body));
}

static int query_int(const char *query, const char *name, int fallback) {
    size_t len = strlen(name);
    const char *p = query;
    while (p && *p) {
        if (strncmp(p, name, len) == 0 && p[len] == '=') return atoi(p + len + 1);
        p = strchr(p, '&');
        if (p) p++;
    }
    return fallback;
}

static int handle(int fd, char *method, char *target, int keep_alive) {
    char body[2048];
    int status = 200;
    const char *type = "application/json";
    int head = strcmp(method, "HEAD") == 0;
    char *query = strchr(target, '?');
    if (query) *query++ = 0;
    long begin = now_ms();
    __sync_fetch_and_add(&requests, 1);
    if (strcmp(method, "GET") != 0 && !head) {
        status = 405;
        snprintf(body, sizeof body, "{\"error\":\"method not allowed\"}\n");
    } else if (strcmp(target, "/api/switch") == 0) {
        failing = !failing;
        snprintf(body, sizeof body, "{\"mode\":\"%s\"}\n", failing ? "failing" : "ok");
    } else if (strcmp(target, "/api/status") == 0) {
        snprintf(body, sizeof body,
                 "{\"replica\":\"%s\",\"container\":\"%s\",\"port\":%d,\"mode\":\"%s\",\"uptimeSeconds\":%ld,\"requests\":%ld}\n",
                 replica, container_id, port, failing ? "failing" : "ok", (long) (time(NULL) - started), requests);
    } else if (failing && (strcmp(target, "/") == 0 || strcmp(target, "/health") == 0 || strcmp(target, "/api/data") == 0)) {
        status = 500;
        type = "text/plain";
        snprintf(body, sizeof body, "failing (switched by /api/switch)\n");
    } else if (strcmp(target, "/health") == 0) {
        type = "text/plain";
        snprintf(body, sizeof body, "ok\n");
    } else if (strcmp(target, "/api/data") == 0) {
        int delay = query ? query_int(query, "delay", default_delay_ms) : default_delay_ms;
        if (delay < 0) delay = 0;
        if (delay > 60000) delay = 60000;
        if (delay > 0) usleep((useconds_t) delay * 1000);
        snprintf(body, sizeof body, "{\"replica\":\"%s\",\"port\":%d,\"delayMs\":%d,\"items\":[1,2,3]}\n", replica, port, delay);
    } else if (strcmp(target, "/") == 0) {
        type = "text/html; charset=utf-8";
        snprintf(body, sizeof body,
                 "<!doctype html><html><head><title>Fleetgate demo</title></head><body>"
                 "<h1>Fleetgate demo</h1><p>Served by replica <b>%s</b> (container %s, port %d).</p>"
                 "<p><a href=\"/api/data\">/api/data</a> · <a href=\"/api/status\">/api/status</a> · "
                 "<a href=\"/health\">/health</a> · <a href=\"/api/switch\">/api/switch</a></p></body></html>\n",
                 replica, container_id, port);
    } else {
        status = 404;
        snprintf(body, sizeof body, "{\"error\":\"not found\"}\n");
    }
    int rc = respond(fd, status, type, body, keep_alive, head);
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s %s %s %s %d %ldms\n", stamp, replica, method, target, status, now_ms() - begin);
    return rc;
}

static void *connection(void *arg) {
    int fd = (int) (long) arg;
    char buf[8192];
    size_t used = 0;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval idle = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    for (;;) {
        char *end;
        while ((end = memmem(buf, used, "\r\n\r\n", 4)) == NULL) {
            if (used == sizeof buf) goto done;
            ssize_t n = recv(fd, buf + used, sizeof buf - used, 0);
            if (n <= 0) goto done;
            used += (size_t) n;
        }
        *end = 0;
        size_t consumed = (size_t) (end - buf) + 4;
        char method[16], target[2048], version[16];
        if (sscanf(buf, "%15s %2047s %15s", method, target, version) != 3) {
            respond(fd, 400, "text/plain", "bad request\n", 0, 0);
            goto done;
        }
        int keep_alive = strcmp(version, "HTTP/1.1") == 0;
        long content_length = 0;
        for (char *line = strstr(buf, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
            if (strncasecmp(line + 2, "Connection:", 11) == 0) {
                if (strcasestr(line + 13, "close")) keep_alive = 0;
                if (strcasestr(line + 13, "keep-alive")) keep_alive = 1;
            } else if (strncasecmp(line + 2, "Content-Length:", 15) == 0) {
                content_length = atol(line + 17);
            }
        }
        /* skip a request body (none expected) */
        size_t rest = used - consumed;
        if ((long) rest >= content_length) {
            consumed += (size_t) content_length;
            content_length = 0;
        } else {
            content_length -= (long) rest;
            consumed = used;
        }
        while (content_length > 0) {
            ssize_t n = recv(fd, buf, sizeof buf < (size_t) content_length ? sizeof buf : (size_t) content_length, 0);
            if (n <= 0) goto done;
            content_length -= n;
        }
        if (handle(fd, method, target, keep_alive) < 0 || !keep_alive) goto done;
        memmove(buf, buf + consumed, used - consumed);
        used -= consumed;
    }
done:
    close(fd);
    return NULL;
}

static void stop(int sig) {
    (void) sig;
    _exit(0);
}

int main(void) {
    const char *p = getenv("PORT");
    const char *bind_to = getenv("BIND");
    const char *delay = getenv("DELAY_MS");
    const char *service = getenv("FLEETGATE_SERVICE");
    const char *slot = getenv("FLEETGATE_REPLICA");
    char host[64] = "";
    if (p) port = atoi(p);
    if (delay) default_delay_ms = atoi(delay);
    if (!bind_to || !*bind_to) bind_to = "127.0.0.1";
    gethostname(host, sizeof host - 1);
    find_container_id();
    if (service && slot) snprintf(replica, sizeof replica, "%s-%s@%s:%d", service, slot, container_id, port);
    else snprintf(replica, sizeof replica, "%s@%s:%d", container_id, host, port);
    started = time(NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    signal(SIGPIPE, SIG_IGN);

    int server = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) port);
    if (inet_pton(AF_INET, bind_to, &addr.sin_addr) != 1) {
        fprintf(stderr, "demo: bad BIND address %s\n", bind_to);
        return 2;
    }
    if (bind(server, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(server, 1024) < 0) {
        fprintf(stderr, "demo: cannot listen on %s:%d: %s\n", bind_to, port, strerror(errno));
        return 1;
    }
    printf("demo: %s listening on %s:%d\n", replica, bind_to, port);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;) {
        int fd = accept(server, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) {
                if (errno == EMFILE || errno == ENFILE) usleep(10000);
                continue;
            }
            perror("demo: accept");
            return 1;
        }
        pthread_t thread;
        if (pthread_create(&thread, &attr, connection, (void *) (long) fd) != 0) close(fd);
    }
}

// Slow clients for the server benchmarks: COUNT connections that each send
// the start of a request head and then one header line every INTERVAL_MS,
// never finishing it (the "slowloris" attack). A connection the server drops
// is opened again at once, so COUNT stay open for as long as the server lets
// them.
//
//   slow_clients HOST PORT COUNT [INTERVAL_MS] [SECONDS]
//
// Runs SECONDS (0: until SIGTERM or SIGINT), then prints one line:
// "slow_clients opened N dropped M open K".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile sig_atomic_t stop = 0;
void OnSignal(int) { stop = 1; }

int Open(const sockaddr_in& to) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  const std::string head = "GET /api/v1/me HTTP/1.1\r\nHost: bench\r\n";
  if (send(fd, head.data(), head.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(head.size())) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: slow_clients HOST PORT COUNT [INTERVAL_MS] [SECONDS]\n");
    return 2;
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
    std::fprintf(stderr, "slow_clients: not an IPv4 address: %s\n", argv[1]);
    return 2;
  }
  const int count = std::atoi(argv[3]);
  const int interval_ms = argc > 4 ? std::atoi(argv[4]) : 1000;
  const int seconds = argc > 5 ? std::atoi(argv[5]) : 0;
  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);

  std::vector<int> fds(static_cast<size_t>(count), -1);
  long opened = 0, dropped = 0, line = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!stop && (seconds == 0 || std::chrono::steady_clock::now() < end)) {
    const auto round = std::chrono::steady_clock::now();
    const std::string header = "X-Slow-" + std::to_string(line++) + ": 1\r\n";
    for (int& fd : fds) {
      if (fd >= 0) {
        // The server closed it (or answered it): read what is there.
        pollfd p{fd, POLLIN, 0};
        char buffer[512];
        bool gone = poll(&p, 1, 0) == 1 && recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) <= 0;
        if (!gone && send(fd, header.data(), header.size(), MSG_NOSIGNAL) < 0) gone = true;
        if (gone) {
          close(fd);
          fd = -1;
          ++dropped;
        }
      }
      if (fd < 0 && (fd = Open(to)) >= 0) ++opened;
    }
    std::this_thread::sleep_until(round + std::chrono::milliseconds(interval_ms));
  }
  int open = 0;
  for (int fd : fds) {
    if (fd >= 0) {
      ++open;
      close(fd);
    }
  }
  std::printf("slow_clients opened %ld dropped %ld open %d\n", opened, dropped, open);
  return 0;
}

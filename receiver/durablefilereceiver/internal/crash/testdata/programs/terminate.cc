// An exception no one catches in C++: the runtime prints "terminate called after throwing
// an instance of", the what() line, and aborts.
#include <cstdio>
#include <stdexcept>

static void load() { throw std::runtime_error("config file /etc/app.toml: no such file"); }

int main() {
    std::printf("2026-12-03T10:00:00Z INFO loading config\n");
    std::fflush(stdout);
    load();
}

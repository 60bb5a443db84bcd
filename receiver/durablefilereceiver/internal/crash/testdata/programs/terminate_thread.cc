// A joinable std::thread destroyed: "terminate called without an active exception".
#include <chrono>
#include <cstdio>
#include <thread>

int main() {
    std::printf("2026-12-03T10:00:00Z INFO starting worker\n");
    std::fflush(stdout);
    std::thread t([] { std::this_thread::sleep_for(std::chrono::seconds(1)); });
}

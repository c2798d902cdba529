// A fixed pool of threads for the blocking request handlers (durable DB
// writes), fed by the I/O threads. The queue is bounded: when it is full,
// try_post refuses, and the connection answers 503 instead of growing memory.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace chz::server {

class WorkerPool {
 public:
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`. False (and `job` is dropped) if the queue is full or the
  // pool is stopping.
  [[nodiscard]] bool try_post(std::function<void()> job);
  // Runs every queued job, then joins the threads. Idempotent.
  void stop();

 private:
  void run();

  std::size_t max_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace chz::server

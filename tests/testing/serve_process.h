// `tenure serve` as a child process, for tests that need the server as an
// administrator runs it: to write through it while another command runs, or
// to kill it.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure::testing {

// A demo company in `db` (`tenure demo DEMO_ARGS`) whose administrator logs
// in with `password`: a database to serve. Returns the first command's
// outcome that failed, or the last one's.
inline Outcome DemoToServe(const TempDir& dir, const std::string& db, const std::string& demo_args,
                           const std::string& password) {
  Outcome demo = Tenure("demo " + demo_args + " --db " + db);
  if (demo.code != 0) return demo;
  return Tenure("user passwd admin --password-stdin --db " + db + " < " +
                dir.Write("pw.txt", password + "\n"));
}

class ServeProcess {
 public:
  // Starts `binary serve --db DB --listen 127.0.0.1:0 ARGS...` with its
  // standard output on a pipe and its standard error to `log` (when given),
  // and reads the port from its banner. ok() is false when it did not start.
  ServeProcess(const std::string& binary, const std::string& db,
               const std::vector<std::string>& args = {}, const std::string& log = "")
      : ServeProcess(ServeArgv(binary, db, args), log) {}

  // Starts `argv` (the binary first, then its arguments: a `serve` command
  // that prints the usual banner) as the constructor above does.
  explicit ServeProcess(std::vector<std::string> argv, const std::string& log = "") {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ < 0) return;
    if (pid_ == 0) {
      setpgid(0, 0);  // its own group, so a kill reaches nothing else
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (!log.empty()) std::freopen(log.c_str(), "a", stderr);
      std::vector<char*> raw;
      for (std::string& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      execv(argv[0].c_str(), raw.data());
      _exit(127);
    }
    close(out[1]);
    FILE* banner = fdopen(out[0], "r");
    char line[512] = {};
    // "tenure: serving DB on http://127.0.0.1:PORT/api/v1 (Ctrl-C stops)"
    if (banner && std::fgets(line, sizeof line, banner)) {
      std::string text = line;
      size_t at = text.find("http://127.0.0.1:");
      if (at != std::string::npos) port_ = std::stoi(text.substr(at + 17));
    }
    if (banner) std::fclose(banner);
  }
  ~ServeProcess() { Kill(SIGKILL); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits for the process to end; returns its wait status
  // (-1 when it was not running).
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  static std::vector<std::string> ServeArgv(const std::string& binary, const std::string& db,
                                            const std::vector<std::string>& args) {
    std::vector<std::string> argv = {binary, "serve", "--db", db, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace tenure::testing

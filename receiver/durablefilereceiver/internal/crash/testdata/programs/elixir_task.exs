# A Task that crashes: Logger reports "Task #PID<...> started from ... terminating" with the
# exception, its stacktrace, the function and its args, between ordinary lines.
require Logger
Logger.configure(sync_threshold: 0)
Logger.configure_backend(:console, format: "$time [$level] $message\n")
Logger.info("refreshing rates")
Process.flag(:trap_exit, true)
task = Task.async(fn -> Map.fetch!(%{usd: 1.0}, :eur) end)
receive do
  {:EXIT, _, _} -> :ok
end
Task.shutdown(task, :brutal_kill)
Process.sleep(100)
Logger.info("rates stale, serving cached")

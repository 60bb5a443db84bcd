# A GenServer that crashes on a message: Logger reports "GenServer ... terminating" with
# the exception, its stacktrace, the last message and the state, between ordinary lines.
require Logger
Logger.configure(sync_threshold: 0)
Logger.configure_backend(:console, format: "$time [$level] $message\n")
defmodule Counter do
  use GenServer
  def init(n), do: {:ok, n}
  def handle_cast({:add, x}, n), do: {:noreply, n + x}
end
Logger.info("counter started")
Process.flag(:trap_exit, true)
{:ok, pid} = GenServer.start_link(Counter, 0)
GenServer.cast(pid, {:add, "1"})
receive do
  {:EXIT, ^pid, _} -> :ok
end
Process.sleep(100)
Logger.info("counter restarted by supervisor")

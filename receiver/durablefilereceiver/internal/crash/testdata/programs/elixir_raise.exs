# An Elixir script that raises: the VM prints "** (RuntimeError) ..." and the stacktrace's
# indented entries, after an ordinary Logger line.
require Logger
Logger.configure(sync_threshold: 0)
Logger.configure_backend(:console, format: "$time [$level] $message\n")
Logger.info("loading config from /etc/app/config.exs")
defmodule Config.Loader do
  def load!(path), do: parse!(File.read!(path))
  def parse!(""), do: raise("config is empty")
  def parse!(text), do: text
end
File.write!("/tmp/empty_config.exs", "")
Config.Loader.load!("/tmp/empty_config.exs")

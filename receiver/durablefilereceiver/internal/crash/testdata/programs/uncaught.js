console.log("2026-11-25T10:00:00.000Z info: server listening on :8080");

function connect() {
  const inner = new Error("ECONNREFUSED 127.0.0.1:5432");
  throw new Error("database unavailable", { cause: inner });
}

connect();

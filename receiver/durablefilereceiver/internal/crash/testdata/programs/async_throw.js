// An app that logs JSON lines; an async function throws and nobody catches the rejection.
console.log(JSON.stringify({ time: "2026-11-25T10:00:00.000Z", level: "info", msg: "server listening", port: 8080 }));
console.log(JSON.stringify({ time: "2026-11-25T10:00:01.000Z", level: "info", msg: "loading orders" }));

async function loadOrders(db) {
  const rows = db.query("select * from orders");
  return rows.length;
}

async function main() {
  await loadOrders(undefined);
}

main();

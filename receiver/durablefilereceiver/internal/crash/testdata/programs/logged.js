// An application that logs an error with its stack at ERROR level and carries on.
function query() {
  throw new TypeError("Cannot read properties of undefined (reading 'rows')");
}

console.log("2026-11-25T10:00:00.000Z INFO listing orders");
try {
  query();
} catch (err) {
  console.log("2026-11-25T10:00:00.010Z ERROR listing orders failed");
  console.log(err);
}
console.log("2026-11-25T10:00:00.020Z INFO next request");

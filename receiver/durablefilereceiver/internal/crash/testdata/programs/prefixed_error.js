// An unhandledRejection handler that logs with a prefix: "Unhandled rejection: " and the
// error's stack on the same first line, its frames after, between ordinary lines.
process.on("unhandledRejection", (reason) => {
  console.error(`${new Date().toISOString()} ERROR Unhandled rejection:`, reason);
  console.log(`${new Date().toISOString()} INFO continuing`);
});
console.log(`${new Date().toISOString()} INFO loading feed`);
async function load() { throw new TypeError("feed.items is not iterable"); }
load();
